// Sign-in. After an expired session it says so, and sends the user back where they were (the
// form they were filling in restores its draft).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { formErrorsFrom, type FormErrors } from "../api/errors";
import { ErrorSummary, Field } from "../components/Field";
import { safeReturnPath, takeReturnPath } from "../lib/drafts";
import { homePath } from "../lib/roles";
import { useSession } from "../lib/session";

const FIELDS = ["email", "password"] as const;

export function LoginPage() {
  const { t } = useTranslation();
  const { login, status, session, expired } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: "" });
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const wasExpired = expired || params.get("sesion") === "expirada";

  useEffect(() => {
    document.title = `${t("login.title")} · Tiquete`;
  }, [t]);

  if (status === "signed_in" && session && !busy) {
    return <Navigate to={homePath(session.roles)} replace />;
  }

  const labels = { email: t("login.email"), password: t("login.password") };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = t("login.emailRequired");
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) fields.email = t("login.emailInvalid");
    if (!password) fields.password = t("login.passwordRequired");
    if (Object.keys(fields).length) {
      setErrors({ fields, general: "" });
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    try {
      const s = await login(email.trim(), password);
      const back = params.get("volver");
      const target = (back && safeReturnPath(back)) || takeReturnPath() || homePath(s.roles);
      navigate(target === "/" ? homePath(s.roles) : target, { replace: true });
    } catch (err) {
      const fe = formErrorsFrom(err, FIELDS);
      setErrors(fe.general || Object.keys(fe.fields).length ? fe : { fields: {}, general: t("login.failed") });
      setBusy(false);
      requestAnimationFrame(() => summaryRef.current?.focus());
    }
  }

  return (
    <div className="narrow">
      <h1>{t("login.title")}</h1>
      <p className="lead">{t("login.lead")}</p>
      {wasExpired ? (
        <div className="notice notice--info" role="status">
          <p>{t("login.expired")}</p>
        </div>
      ) : null}
      <ErrorSummary
        title={t("form.problemTitle")}
        general={errors.general}
        fields={errors.fields}
        labels={labels}
        summaryRef={summaryRef}
      />
      <form onSubmit={submit} noValidate className="card form">
        <Field id="email" label={labels.email} error={errors.fields.email} required>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="username"
              inputMode="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field id="password" label={labels.password} error={errors.fields.password} required>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
      <p className="muted">{t("login.help")}</p>
    </div>
  );
}
