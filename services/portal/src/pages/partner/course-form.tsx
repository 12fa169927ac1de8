// A partner body's course: a new draft, or a draft / returned course edited. Every field the catalogue's
// create schema asks for, labelled, checked here first (the message next to its field, a summary on top
// naming each one), then by the service (its own words, each named field marked the same way). DigComp
// competences, their areas and levels are read from the catalogue's framework, not kept here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { api, data } from "../../api/client.js";
import { ProblemError } from "../../api/problem.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { idempotencyKey } from "../../components/requests.js";
import { useLocale, useT, type MessageId } from "../../i18n/index.js";
import {
  AUDIENCES,
  AREAS,
  DIGCOMP,
  MAX_HOURS,
  MODES,
  SITES,
  type Course,
  type CourseBody,
} from "./common.js";

type Field =
  | "titleIt"
  | "descriptionIt"
  | "titleEn"
  | "descriptionEn"
  | "audiences"
  | "areas"
  | "competences"
  | "hours"
  | "mode"
  | "sites";
type Errors = Partial<Record<Field, string>> & { levels?: Record<string, string> };

interface Values {
  titleIt: string;
  descriptionIt: string;
  titleEn: string;
  descriptionEn: string;
  audiences: string[];
  areas: string[];
  sites: string[];
  hours: string;
  mode: string;
  /** competence code -> level rank ("" until chosen) */
  competences: Record<string, string>;
}

const EMPTY: Values = {
  titleIt: "",
  descriptionIt: "",
  titleEn: "",
  descriptionEn: "",
  audiences: [],
  areas: [],
  sites: [],
  hours: "",
  mode: "",
  competences: {},
};

function valuesOf(course: CourseBody & { descriptionEn?: string }): Values {
  return {
    titleIt: course.titleIt,
    descriptionIt: course.descriptionIt,
    titleEn: course.titleEn ?? "",
    descriptionEn: course.descriptionEn ?? "",
    audiences: [...course.audiences],
    areas: [...course.areas],
    sites: [...course.sites],
    hours: String(course.hours),
    mode: course.mode,
    competences: Object.fromEntries(
      course.competences.filter((c) => c.framework === "digcomp").map((c) => [c.competence, String(c.level)]),
    ),
  };
}

/** The field a problem's `path` names ("competences.0.level", "/titleIt", "body.hours"). */
function fieldOf(path: string): Field | undefined {
  const first = path.replace(/^\/?(body[./])?/, "").split(/[./[]/)[0] as Field;
  return (
    [
      "titleIt",
      "descriptionIt",
      "titleEn",
      "descriptionEn",
      "audiences",
      "areas",
      "competences",
      "hours",
      "mode",
      "sites",
    ] as const
  ).includes(first)
    ? first
    : undefined;
}

function check(v: Values, t: ReturnType<typeof useT>): Errors {
  const e: Errors = {};
  if (v.titleIt.trim().length < 3) e.titleIt = t("partner.error.titleIt");
  if (v.descriptionIt.trim().length < 20) e.descriptionIt = t("partner.error.descriptionIt");
  if (v.titleEn.trim() !== "" && v.titleEn.trim().length < 3) e.titleEn = t("partner.error.titleEn");
  if (!v.audiences.length) e.audiences = t("partner.error.audiences");
  if (!v.areas.length) e.areas = t("partner.error.areas");
  if (!v.sites.length) e.sites = t("partner.error.sites");
  const hours = Number(v.hours.replace(",", "."));
  if (!v.hours.trim() || !(hours > 0) || hours > MAX_HOURS || !Number.isInteger(hours * 2))
    e.hours = t("partner.error.hours", { max: MAX_HOURS });
  if (!v.mode) e.mode = t("partner.error.mode");
  const chosen = Object.entries(v.competences);
  if (!chosen.length) e.competences = t("partner.error.competences");
  const levels = Object.fromEntries(
    chosen.filter(([, level]) => !level).map(([code]) => [code, t("partner.error.level")]),
  );
  if (Object.keys(levels).length) e.levels = levels;
  return e;
}

function bodyOf(v: Values): CourseBody {
  return {
    titleIt: v.titleIt.trim(),
    descriptionIt: v.descriptionIt.trim(),
    ...(v.titleEn.trim() ? { titleEn: v.titleEn.trim() } : {}),
    ...(v.descriptionEn.trim() ? { descriptionEn: v.descriptionEn.trim() } : {}),
    audiences: v.audiences as CourseBody["audiences"],
    areas: v.areas as CourseBody["areas"],
    sites: v.sites as CourseBody["sites"],
    hours: Number(v.hours.replace(",", ".")),
    mode: v.mode as CourseBody["mode"],
    competences: Object.entries(v.competences).map(([competence, level]) => ({
      framework: DIGCOMP.id,
      version: DIGCOMP.version,
      competence,
      level: Number(level),
    })),
  };
}

/** The message under a control, tied to it by aria-describedby. */
function FieldError({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <div id={`${id}-error`} className="invalid-feedback d-block fw-semibold" data-field-error={id}>
      {text}
    </div>
  );
}

const describedBy = (id: string, error: string | undefined, hint?: boolean) =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

function Checkboxes(props: {
  id: Field;
  legend: MessageId;
  hint?: ReactNode;
  options: readonly string[];
  label: (value: string) => string;
  value: string[];
  error: string | undefined;
  onChange(value: string[]): void;
}) {
  const t = useT();
  const { id, options, value, error } = props;
  return (
    <fieldset
      className="mt-4"
      id={`course-${id}`}
      aria-describedby={describedBy(`course-${id}`, error, Boolean(props.hint))}
      aria-invalid={error ? true : undefined}
    >
      <legend className="h6 mb-2">{t(props.legend)}</legend>
      {props.hint && (
        <p id={`course-${id}-hint`} className="form-text mt-0 mb-2">
          {props.hint}
        </p>
      )}
      {options.map((option) => (
        <div key={option} className="form-check form-check-inline">
          <input
            id={`course-${id}-${option}`}
            type="checkbox"
            checked={value.includes(option)}
            onChange={(e) =>
              props.onChange(e.target.checked ? [...value, option] : value.filter((v) => v !== option))
            }
          />
          <label htmlFor={`course-${id}-${option}`}>{props.label(option)}</label>
        </div>
      ))}
      <FieldError id={`course-${id}`} text={error} />
    </fieldset>
  );
}

export function CourseFormPage({ courseId }: { courseId?: string }) {
  const t = useT();
  const course = useQuery({
    queryKey: ["partner", "course", courseId],
    queryFn: () =>
      data(api.catalogue.GET("/v1/courses/{courseId}", { params: { path: { courseId: courseId! } } })),
    enabled: Boolean(courseId),
  });
  const framework = useQuery({
    queryKey: ["catalogue", "framework", DIGCOMP.id, DIGCOMP.version],
    queryFn: fetchFramework,
    staleTime: Infinity,
  });
  const loaded = courseId ? course.data : undefined;
  const editable = !loaded || loaded.state === "draft" || loaded.state === "returned";
  return (
    <section aria-labelledby="course-form-title">
      <h1 id="course-form-title">
        {loaded ? t("partner.form.editTitle", { title: loaded.titleIt }) : t("partner.form.newTitle")}
      </h1>
      <p>{t("partner.form.intro")}</p>
      {(framework.isPending || (courseId && course.isPending)) && <Loading />}
      {framework.isError && <ProblemAlert error={framework.error} onRetry={() => void framework.refetch()} />}
      {course.isError && <ProblemAlert error={course.error} onRetry={() => void course.refetch()} />}
      {loaded && !editable && (
        <p className="alert alert-warning">{t("partner.form.notEditable", { state: loaded.state })}</p>
      )}
      {framework.data && (!courseId || loaded) && editable && (
        <CourseForm key={loaded?.id ?? "new"} course={loaded} framework={framework.data} />
      )}
    </section>
  );
}

type Framework = Awaited<ReturnType<typeof fetchFramework>>;
const fetchFramework = () =>
  data(
    api.catalogue.GET("/v1/frameworks/{frameworkId}/{version}", {
      params: { path: { frameworkId: DIGCOMP.id, version: DIGCOMP.version } },
    }),
  );

function CourseForm({ course, framework }: { course: Course | undefined; framework: Framework }) {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => (course ? valuesOf(course) : EMPTY));
  const [errors, setErrors] = useState<Errors>({});
  const summary = useRef<HTMLDivElement>(null);
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const name = (text: { it: string; en: string }) => (locale === "en" ? text.en : text.it);
  const groups = Object.fromEntries(framework.levelGroups.map((g) => [g.code, name(g.name)]));

  const save = useMutation({
    mutationFn: () =>
      course
        ? data(
            api.catalogue.PUT("/v1/courses/{courseId}", {
              params: { path: { courseId: course.id }, header: { "If-Match": `"${course.version}"` } },
              body: bodyOf(values),
            }),
          )
        : data(
            api.catalogue.POST("/v1/courses", {
              params: { header: { "Idempotency-Key": idempotencyKey() } },
              body: bodyOf(values),
            }),
          ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["partner"] });
      await navigate({ to: "/" });
    },
    onError: (error) => {
      // The service names each bad field: mark it beside the control, in the service's words.
      if (error instanceof ProblemError && error.problem.errors?.length) {
        const named: Errors = {};
        for (const e of error.problem.errors) {
          const field = fieldOf(e.path);
          if (field && !named[field]) named[field] = e.message;
        }
        setErrors(named);
      }
      requestAnimationFrame(() => summary.current?.focus());
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found = check(values, t);
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    save.mutate();
  };

  const errorCount =
    Object.entries(errors).filter(([k]) => k !== "levels").length + Object.keys(errors.levels ?? {}).length;

  const text = (
    id: "titleIt" | "titleEn",
    label: MessageId,
    opts: { required?: boolean; hint?: string } = {},
  ) => (
    <div className="form-group mb-0">
      <label htmlFor={`course-${id}`} className="active">
        {t(label)}
      </label>
      <input
        id={`course-${id}`}
        className={`form-control${errors[id] ? " is-invalid" : ""}`}
        maxLength={200}
        aria-required={opts.required || undefined}
        aria-invalid={errors[id] ? true : undefined}
        aria-describedby={describedBy(`course-${id}`, errors[id], Boolean(opts.hint))}
        value={values[id]}
        onChange={(e) => set(id, e.target.value)}
      />
      {opts.hint && (
        <small id={`course-${id}-hint`} className="form-text">
          {opts.hint}
        </small>
      )}
      <FieldError id={`course-${id}`} text={errors[id]} />
    </div>
  );
  const long = (id: "descriptionIt" | "descriptionEn", label: MessageId, hint: string, required = false) => (
    <div className="form-group mb-0">
      <label htmlFor={`course-${id}`} className="active">
        {t(label)}
      </label>
      <textarea
        id={`course-${id}`}
        className={`form-control${errors[id] ? " is-invalid" : ""}`}
        rows={4}
        maxLength={6000}
        aria-required={required || undefined}
        aria-invalid={errors[id] ? true : undefined}
        aria-describedby={describedBy(`course-${id}`, errors[id], true)}
        value={values[id]}
        onChange={(e) => set(id, e.target.value)}
      />
      <small id={`course-${id}-hint`} className="form-text">
        {hint}
      </small>
      <FieldError id={`course-${id}`} text={errors[id]} />
    </div>
  );

  return (
    <form onSubmit={onSubmit} noValidate data-testid="partner-course-form">
      <div ref={summary} tabIndex={-1} aria-live="polite">
        {errorCount > 0 && !save.isError && (
          <div className="alert alert-danger" role="alert">
            {t("partner.form.fix", { count: errorCount })}
          </div>
        )}
        {save.isError && <ProblemAlert error={save.error} />}
      </div>
      <div className="row gy-4 mt-1">
        <div className="col-md-6">{text("titleIt", "partner.form.titleIt", { required: true })}</div>
        <div className="col-md-6">
          {text("titleEn", "partner.form.titleEn", { hint: t("partner.form.optional") })}
        </div>
        <div className="col-md-6">
          {long("descriptionIt", "partner.form.descriptionIt", t("partner.form.descriptionHint"), true)}
        </div>
        <div className="col-md-6">
          {long("descriptionEn", "partner.form.descriptionEn", t("partner.form.optional"))}
        </div>
      </div>
      <Checkboxes
        id="audiences"
        legend="partner.form.audiences"
        options={AUDIENCES}
        label={(v) => t(`enum.audience.${v}` as MessageId)}
        value={values.audiences}
        error={errors.audiences}
        onChange={(v) => set("audiences", v)}
      />
      <Checkboxes
        id="areas"
        legend="partner.form.areas"
        options={AREAS}
        label={(v) => t(`enum.area.${v}` as MessageId)}
        value={values.areas}
        error={errors.areas}
        onChange={(v) => set("areas", v)}
      />
      <Checkboxes
        id="sites"
        legend="partner.form.sites"
        hint={t("partner.form.sitesHint")}
        options={SITES}
        label={(v) => t(`enum.site.${v}` as MessageId)}
        value={values.sites}
        error={errors.sites}
        onChange={(v) => set("sites", v)}
      />
      <div className="row gy-4 mt-2">
        <div className="col-md-4">
          <div className="form-group mb-0">
            <label htmlFor="course-hours" className="active">
              {t("partner.form.hours")}
            </label>
            <input
              id="course-hours"
              className={`form-control${errors.hours ? " is-invalid" : ""}`}
              inputMode="decimal"
              aria-required
              aria-invalid={errors.hours ? true : undefined}
              aria-describedby={describedBy("course-hours", errors.hours, true)}
              value={values.hours}
              onChange={(e) => set("hours", e.target.value)}
            />
            <small id="course-hours-hint" className="form-text">
              {t("partner.form.hoursHint", { max: MAX_HOURS })}
            </small>
            <FieldError id="course-hours" text={errors.hours} />
          </div>
        </div>
        <div className="col-md-8">
          <fieldset
            id="course-mode"
            aria-describedby={describedBy("course-mode", errors.mode)}
            aria-invalid={errors.mode ? true : undefined}
          >
            <legend className="h6 mb-2">{t("partner.form.mode")}</legend>
            {MODES.map((mode) => (
              <div key={mode} className="form-check form-check-inline">
                <input
                  id={`course-mode-${mode}`}
                  type="radio"
                  name="course-mode"
                  value={mode}
                  checked={values.mode === mode}
                  onChange={() => set("mode", mode)}
                />
                <label htmlFor={`course-mode-${mode}`}>{t(`enum.mode.${mode}`)}</label>
              </div>
            ))}
            <FieldError id="course-mode" text={errors.mode} />
          </fieldset>
        </div>
      </div>
      <fieldset
        className="mt-4"
        id="course-competences"
        aria-describedby={describedBy("course-competences", errors.competences, true)}
        aria-invalid={errors.competences ? true : undefined}
      >
        <legend className="h5">{t("partner.form.competences", { version: DIGCOMP.version })}</legend>
        <p id="course-competences-hint" className="form-text mt-0">
          {t("partner.form.competencesHint")}
        </p>
        <FieldError id="course-competences" text={errors.competences} />
        {framework.areas.map((area) => (
          <fieldset key={area.code} className="mt-3">
            <legend className="h6">
              {area.code}. {name(area.name)}
            </legend>
            {framework.competences
              .filter((c) => c.area === area.code)
              .map((c) => {
                const chosen = c.code in values.competences;
                const levelId = `course-level-${c.code.replace(".", "-")}`;
                const levelError = errors.levels?.[c.code];
                return (
                  <div key={c.code} className="row align-items-center mb-2">
                    <div className="col-md-8 form-check">
                      <input
                        id={`course-competence-${c.code.replace(".", "-")}`}
                        type="checkbox"
                        checked={chosen}
                        onChange={(e) => {
                          const next = { ...values.competences };
                          if (e.target.checked) next[c.code] = "";
                          else delete next[c.code];
                          set("competences", next);
                        }}
                      />
                      <label htmlFor={`course-competence-${c.code.replace(".", "-")}`}>
                        {c.code} {name(c.name)}
                      </label>
                    </div>
                    {chosen && (
                      <div className="col-md-4 select-wrapper">
                        <label htmlFor={levelId}>{t("partner.form.competenceLevel", { code: c.code })}</label>
                        <select
                          id={levelId}
                          value={values.competences[c.code]}
                          aria-invalid={levelError ? true : undefined}
                          aria-describedby={levelError ? `${levelId}-error` : undefined}
                          onChange={(e) =>
                            set("competences", { ...values.competences, [c.code]: e.target.value })
                          }
                        >
                          <option value="">{t("partner.form.chooseLevel")}</option>
                          {framework.levels.map((l) => (
                            <option key={l.rank} value={String(l.rank)}>
                              {t("partner.form.levelOption", {
                                name: name(l.name),
                                group: groups[l.group] ?? l.group,
                              })}
                            </option>
                          ))}
                        </select>
                        <FieldError id={levelId} text={levelError} />
                      </div>
                    )}
                  </div>
                );
              })}
          </fieldset>
        ))}
      </fieldset>
      <div aria-live="polite">{save.isPending && <Loading label={t("partner.form.saving")} />}</div>
      <div className="d-flex flex-wrap gap-3 align-items-center mt-4">
        <Button color="primary" type="submit" disabled={save.isPending}>
          {course ? t("partner.form.saveChanges") : t("partner.form.save")}
        </Button>
        <Link to="/">{t("partner.form.cancel")}</Link>
      </div>
    </form>
  );
}
