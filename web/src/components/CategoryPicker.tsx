// The category tree as a chain of native selects (Software → SIMAT → Acceso y contraseñas):
// familiar on a phone, fully keyboard and screen-reader accessible, and the requester may stop
// at any level when unsure.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Category } from "../api/types";

export function categoryChain(all: readonly Category[], id: string): Category[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  const chain: Category[] = [];
  let cur = byId.get(id);
  for (let guard = 0; cur && guard < 20; guard++) {
    chain.unshift(cur);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return chain;
}

export function CategoryPicker(props: {
  id: string;
  categories: readonly Category[];
  value: string;
  onChange: (id: string) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const { t } = useTranslation();
  const { categories, value, onChange, id } = props;
  const children = useMemo(() => {
    const m = new Map<string, Category[]>();
    for (const c of categories) {
      const k = c.parentId || "";
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(c);
    }
    for (const list of m.values()) list.sort((a, b) => a.name.localeCompare(b.name, "es"));
    return m;
  }, [categories]);
  const chain = categoryChain(categories, value);

  // One select per level: the roots, then the children of each chosen node.
  const levels: { parentId: string; selected: string }[] = [{ parentId: "", selected: chain[0]?.id ?? "" }];
  for (let i = 0; i < chain.length; i++) {
    if ((children.get(chain[i].id) ?? []).length > 0) {
      levels.push({ parentId: chain[i].id, selected: chain[i + 1]?.id ?? "" });
    }
  }

  const selected = chain[chain.length - 1];
  return (
    <div className="category-picker">
      {levels.map((lvl, depth) => {
        const options = children.get(lvl.parentId) ?? [];
        const selectId = depth === 0 ? id : `${id}-${depth}`;
        return (
          <div key={lvl.parentId || "root"} className="category-picker__level">
            {depth > 0 ? (
              <label htmlFor={selectId} className="category-picker__sublabel">
                {t("newCase.subcategoryOf", { name: chain[depth - 1]?.name })}
              </label>
            ) : null}
            <select
              id={selectId}
              name={depth === 0 ? "category_id" : undefined}
              value={lvl.selected}
              aria-describedby={props.describedBy}
              aria-invalid={props.invalid || undefined}
              onChange={(e) => onChange(e.target.value || lvl.parentId)}
            >
              <option value="">{depth === 0 ? t("newCase.categoryChoose") : t("newCase.subcategoryAny")}</option>
              {options.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {selected?.description ? <p className="field__hint">{selected.description}</p> : null}
    </div>
  );
}
