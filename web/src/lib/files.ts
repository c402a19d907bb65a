// Attachments: read as base64 (the gateway maps JSON base64 onto the proto's bytes) and checked
// against the portal's limits before anything is sent.
import type { Attachment } from "../api/types";

export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type FileProblem = { file: string; problem: "too_big" | "too_many" | "empty" | "unreadable" };

export function checkFiles(current: readonly Attachment[], incoming: readonly { name: string; size: number }[]): FileProblem[] {
  const problems: FileProblem[] = [];
  let count = current.length;
  for (const f of incoming) {
    if (f.size === 0) problems.push({ file: f.name, problem: "empty" });
    else if (f.size > MAX_FILE_BYTES) problems.push({ file: f.name, problem: "too_big" });
    else if (count >= MAX_FILES) problems.push({ file: f.name, problem: "too_many" });
    else count++;
  }
  return problems;
}

export function readAsAttachment(file: File): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.onload = () => {
      const url = String(reader.result ?? "");
      const comma = url.indexOf(",");
      resolve({
        filename: file.name,
        contentType: file.type || "application/octet-stream",
        content: comma >= 0 ? url.slice(comma + 1) : "",
        size: file.size,
      });
    };
    reader.readAsDataURL(file);
  });
}

export function formatBytes(n: number, locale: string): string {
  const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (n < 1024) return `${fmt.format(n)} B`;
  if (n < 1024 * 1024) return `${fmt.format(n / 1024)} KB`;
  return `${fmt.format(n / 1024 / 1024)} MB`;
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
