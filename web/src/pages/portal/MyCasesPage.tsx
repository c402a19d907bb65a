// "Mis casos": the requester's cases with their state and expected resolution in plain words,
// refreshed in the background.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { OPEN_STATES, type IncidentState } from "../../api/types";
import { StateBadge } from "../../components/Badges";
import { ErrorBox, Loading } from "../../components/Status";
import { useAsync, useNow, usePolling } from "../../lib/hooks";
import { listIncidents } from "../../lib/incidents";
import { useSignedIn } from "../../lib/session";
import { expectedResolution, formatDateTime, formatRelative } from "../../lib/time";

type Show = "open" | "all";
const ACTIVE: IncidentState[] = [...OPEN_STATES, "resolved"];

export function MyCasesPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const [show, setShow] = useState<Show>("open");
  const now = useNow();
  const list = useAsync(
    (signal) =>
      listIncidents(
        {
          requesterId: session.person.id,
          states: show === "open" ? ACTIVE : undefined,
          sort: "updated_desc",
          pageSize: 100,
        },
        false,
        signal,
      ),
    [show, session.person.id],
  );
  usePolling(() => void list.reload(true), 60_000);

  useEffect(() => {
    document.title = `${t("myCases.title")} · Tiquete`;
  }, [t]);

  const items = list.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>{t("myCases.title")}</h1>
        <Link to="/casos/nuevo" className="button">
          {t("nav.newCase")}
        </Link>
      </div>
      <div className="segmented" role="group" aria-label={t("myCases.show")}>
        {(["open", "all"] as Show[]).map((s) => (
          <button
            key={s}
            type="button"
            className={"segmented__item" + (show === s ? " is-active" : "")}
            aria-pressed={show === s}
            onClick={() => setShow(s)}
          >
            {t(`myCases.show_${s}`)}
          </button>
        ))}
      </div>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBox error={list.error} onRetry={() => void list.reload()} />
      {list.data && items.length === 0 ? (
        <div className="empty">
          <p>{show === "open" ? t("myCases.emptyOpen") : t("myCases.empty")}</p>
        </div>
      ) : null}
      <ul className="case-list" aria-busy={list.loading}>
        {items.map((i) => {
          const open = OPEN_STATES.includes(i.state);
          const eta = expectedResolution(i.resolutionDueTime, now, i18n.language);
          return (
            <li key={i.number} className="case-card" data-testid="case-card" data-number={i.number}>
              <div className="case-card__head">
                <Link to={`/casos/${encodeURIComponent(i.number)}`} className="case-card__title">
                  <span className="case-card__number">{i.number}</span> {i.subject}
                </Link>
                <StateBadge state={i.state} pendingReason={i.pendingReason} audience="requester" />
              </div>
              {open ? (
                <p className={"case-card__eta eta--" + eta.kind}>
                  <strong>{t("myCases.eta")}:</strong> {eta.text}
                </p>
              ) : null}
              {i.state === "resolved" ? <p className="case-card__action">{t("myCases.confirmPrompt")}</p> : null}
              <p className="muted case-card__meta">
                {t("myCases.opened", { when: formatDateTime(i.createTime, i18n.language) })}
                {i.updateTime ? ` · ${t("myCases.updated", { when: formatRelative(i.updateTime, now, i18n.language) })}` : ""}
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
