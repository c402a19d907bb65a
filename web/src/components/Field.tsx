// A labelled form control with its hint and its error right below the label, wired for screen
// readers (aria-describedby, aria-invalid). The error text is the server's own message when the
// gateway named this field in details.field.
import type { ReactNode } from "react";

export interface ControlProps {
  id: string;
  name: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
}

export function Field(props: {
  id: string;
  name?: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  optionalText?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const { id, label, hint, error, required, optionalText, children } = props;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={"field" + (error ? " field--error" : "")}>
      <label htmlFor={id} className="field__label">
        {label}
        {!required && optionalText ? <span className="field__optional"> ({optionalText})</span> : null}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {children({
        id,
        name: props.name ?? id,
        "aria-describedby": describedBy,
        "aria-invalid": error ? true : undefined,
        "aria-required": required ? true : undefined,
      })}
    </div>
  );
}

/** A fieldset of radio buttons (urgency, reach, score) with legend, hint and error. */
export function RadioGroup<T extends string>(props: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  value: T | "";
  options: { value: T; label: ReactNode; hint?: ReactNode }[];
  onChange: (v: T) => void;
  inline?: boolean;
  required?: boolean;
}) {
  const { name, legend, hint, error, value, options, onChange, inline, required } = props;
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = error ? `${name}-error` : undefined;
  return (
    <fieldset
      className={"field radios" + (inline ? " radios--inline" : "") + (error ? " field--error" : "")}
      aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      id={name}
    >
      <legend className="field__label">
        {legend}
        {required ? <span className="visually-hidden"> (obligatorio)</span> : null}
      </legend>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {options.map((o) => {
        const id = `${name}-${o.value}`;
        return (
          <div className="radios__item" key={o.value}>
            <input
              type="radio"
              id={id}
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              aria-describedby={o.hint ? `${id}-hint` : undefined}
            />
            <label htmlFor={id}>
              {o.label}
              {o.hint ? (
                <span id={`${id}-hint`} className="radios__hint">
                  {o.hint}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

/**
 * The list of problems at the top of a form (GOV.UK pattern): focused after a failed submit so
 * screen-reader users hear it, each item links to its field.
 */
export function ErrorSummary(props: {
  title: string;
  general?: string;
  fields: Record<string, string>;
  labels: Record<string, string>;
  summaryRef?: React.Ref<HTMLDivElement>;
}) {
  const entries = Object.entries(props.fields).filter(([, m]) => m);
  if (!props.general && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={props.summaryRef}>
      <h2 className="error-summary__title">{props.title}</h2>
      {props.general ? <p>{props.general}</p> : null}
      {entries.length > 0 ? (
        <ul>
          {entries.map(([name, msg]) => (
            <li key={name}>
              <a href={`#${name}`}>
                {props.labels[name] ? `${props.labels[name]}: ` : ""}
                {msg}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
