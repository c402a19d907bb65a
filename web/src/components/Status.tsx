// Loading and error blocks shared by every page.
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/errors";

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      <span className="loading__dot" aria-hidden="true" /> {label ?? t("common.loading")}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const msg = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : "";
  return (
    <div className="notice notice--error" role="alert">
      <p>{msg}</p>
      {requestId ? <p className="notice__meta">{t("common.requestId", { id: requestId })}</p> : null}
      {onRetry ? (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t("common.retry")}
        </button>
      ) : null}
    </div>
  );
}
