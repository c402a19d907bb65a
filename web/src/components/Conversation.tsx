// The work log as a conversation: public comments both ways, internal notes (agents only,
// clearly marked) and major-incident communications. State changes are in the audit trail.
import { useTranslation } from "react-i18next";
import type { WorkLogEntry } from "../api/types";
import { formatDateTime } from "../lib/time";

export function Conversation({
  entries,
  selfId,
  audience,
}: {
  entries: WorkLogEntry[];
  selfId: string;
  audience: "requester" | "agent";
}) {
  const { t, i18n } = useTranslation();
  const shown = audience === "requester" ? entries.filter((e) => e.visibility === "public") : entries;
  if (shown.length === 0) return <p className="muted">{t("conversation.empty")}</p>;
  return (
    <ol className="conversation" data-testid="conversation">
      {shown.map((e) => {
        const mine = e.authorId && e.authorId === selfId;
        const cls =
          "conversation__msg" +
          (mine ? " is-mine" : "") +
          (e.visibility === "internal" ? " is-internal" : "") +
          (e.kind === "communication" ? " is-communication" : "");
        return (
          <li key={e.id || e.createTime + e.body} className={cls} data-visibility={e.visibility}>
            <div className="conversation__meta">
              <strong>
                {mine
                  ? t("conversation.you")
                  : audience === "requester"
                    ? t("conversation.desk")
                    : e.authorName || t("conversation.someone")}
              </strong>
              {e.visibility === "internal" ? <span className="badge badge--internal">{t("conversation.internal")}</span> : null}
              {e.kind === "communication" ? <span className="badge badge--major">{t("conversation.communication")}</span> : null}
              <time dateTime={e.createTime} className="muted">
                {" "}
                · {formatDateTime(e.createTime, i18n.language)}
              </time>
            </div>
            {e.body ? <p className="conversation__body">{e.body}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}
