// The ideas' filters and tags, shared by the public ideas page and the company's browsing: area,
// district and technology (and keywords where the service searches them), read from and kept in the
// address; an idea's area, district and technologies as the cards show them.
import { Badge } from "design-react-kit";
import type { paths } from "../api/ideas";
import { useT, type MessageId } from "../i18n/index.js";
import { FilterSelects, type FilterSelect } from "./filter-form.js";
import { AREAS, DISTRICTS, TECHNOLOGIES, oneOf, vocabularyLabel } from "./vocabulary.js";

type IdeaQuery = NonNullable<paths["/v1/ideas"]["get"]["parameters"]["query"]>;
export type IdeaFilters = Pick<IdeaQuery, "area" | "district" | "technology" | "q">;

/** The address's search params as filters: anything unknown is dropped rather than sent to the service. */
export function ideaFilters(search: Record<string, unknown>): IdeaFilters {
  const area = oneOf(AREAS, search.area);
  const district = oneOf(DISTRICTS, search.district);
  const technology = oneOf(TECHNOLOGIES, search.technology);
  const q = typeof search.q === "string" && search.q.trim() ? search.q.trim().slice(0, 200) : undefined;
  return {
    ...(area ? { area } : {}),
    ...(district ? { district } : {}),
    ...(technology ? { technology } : {}),
    ...(q ? { q } : {}),
  };
}

const IDEA_SELECTS: readonly FilterSelect<IdeaFilters>[] = [
  { key: "area", label: "catalogue.area", options: AREAS, optionLabel: (v) => `enum.area.${v}` as MessageId },
  {
    key: "district",
    label: "ideas.district",
    options: DISTRICTS,
    optionLabel: (v) => `enum.district.${v}` as MessageId,
  },
  {
    key: "technology",
    label: "ideas.technology",
    options: TECHNOLOGIES,
    optionLabel: (v) => `enum.technology.${v}` as MessageId,
  },
];

/** The fields of a FilterForm over ideas; keywords only with `keywords` (the ideas service searches them). */
export function IdeaFilterFields(props: {
  draft: IdeaFilters;
  onChange(draft: IdeaFilters): void;
  keywords?: boolean;
}) {
  const t = useT();
  const { draft, onChange, keywords } = props;
  const col = keywords ? "col-md-6" : "col-md-4";
  return (
    <>
      {keywords && (
        <div className={col}>
          <div className="form-group mb-0">
            <label htmlFor="q" className="active">
              {t("ideas.q")}
            </label>
            <input
              id="q"
              name="q"
              type="search"
              className="form-control"
              maxLength={200}
              value={draft.q ?? ""}
              onChange={(e) => onChange({ ...draft, q: e.target.value || undefined })}
            />
          </div>
        </div>
      )}
      <FilterSelects draft={draft} onChange={onChange} col={col} fields={IDEA_SELECTS} />
    </>
  );
}

/** An idea's area (a badge), district and technologies; a value the portal does not know shows as it is. */
export function IdeaTags({ idea }: { idea: { area?: string; district?: string; technologies: string[] } }) {
  const t = useT();
  const label = (list: "area" | "district" | "technology", value: string) => {
    const id = vocabularyLabel(list, value);
    return id ? t(id) : value;
  };
  return (
    <ul className="list-inline small">
      {idea.area && (
        <li className="list-inline-item">
          <Badge color="primary">{label("area", idea.area)}</Badge>
        </li>
      )}
      {idea.district && <li className="list-inline-item">{label("district", idea.district)}</li>}
      {idea.technologies.map((tech) => (
        <li key={tech} className="list-inline-item">
          {label("technology", tech)}
        </li>
      ))}
    </ul>
  );
}
