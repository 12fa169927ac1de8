// A new idea of one of the school's teams for a call open to submissions, saved as a draft; the home
// then lists it with what it still lacks and submits it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { SelectField } from "../../components/fields.js";
import { useT, type MessageId } from "../../i18n/index.js";
import { AREAS, DISTRICTS, TECHNOLOGIES } from "../../components/vocabulary.js";

const NEEDS = ["mentoring", "internships", "funding", "equipment"] as const;
type Area = (typeof AREAS)[number];
type District = (typeof DISTRICTS)[number];
type Technology = (typeof TECHNOLOGIES)[number];
type Need = (typeof NEEDS)[number];

function LongText(props: {
  id: string;
  label: MessageId;
  hint: MessageId;
  value: string;
  onChange(v: string): void;
}) {
  const t = useT();
  return (
    <div className="form-group">
      <label htmlFor={props.id} className="active">
        {t(props.label)}
      </label>
      <textarea
        id={props.id}
        className="form-control"
        rows={3}
        maxLength={4000}
        aria-describedby={`${props.id}-hint`}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <small id={`${props.id}-hint`} className="form-text">
        {t(props.hint)}
      </small>
    </div>
  );
}

export function NewIdeaPage() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const calls = useQuery({
    queryKey: ["school", "calls", "submission"],
    queryFn: () =>
      data(api.ideas.GET("/v1/calls", { params: { query: { phase: "submission", limit: 100 } } })),
  });
  const teams = useQuery({
    queryKey: ["school", "teams", "all"],
    queryFn: () => data(api.ideas.GET("/v1/teams", { params: { query: { limit: 100 } } })),
  });
  const [callId, setCallId] = useState("");
  const [teamId, setTeamId] = useState("");
  const [text, setText] = useState({ title: "", summary: "", problem: "", solution: "" });
  const [area, setArea] = useState<Area>();
  const [district, setDistrict] = useState<District>();
  const [technologies, setTechnologies] = useState<Technology[]>([]);
  const [needs, setNeeds] = useState<Need[]>([]);
  const save = useMutation({
    mutationFn: () =>
      data(
        api.ideas.POST("/v1/ideas", {
          params: { header: { "Idempotency-Key": crypto.randomUUID() } },
          body: {
            callId,
            teamId,
            ...text,
            ...(area ? { area } : {}),
            ...(district ? { district } : {}),
            technologies,
            needs,
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["school"] });
      await navigate({ to: "/" });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const toggle = <V,>(list: V[], value: V, on: boolean) =>
    on ? [...list, value] : list.filter((v) => v !== value);
  const callItems = calls.data?.items ?? [];
  return (
    <section aria-labelledby="idea-title">
      <h1 id="idea-title">{t("school.ideas.new")}</h1>
      <p>{t("school.ideas.newIntro")}</p>
      {(calls.isPending || teams.isPending) && <Loading />}
      {calls.isError && <ProblemAlert error={calls.error} onRetry={() => void calls.refetch()} />}
      {teams.isError && <ProblemAlert error={teams.error} onRetry={() => void teams.refetch()} />}
      {calls.data && teams.data && (
        <form onSubmit={onSubmit}>
          <div className="row gy-4 mt-2">
            <div className="col-md-6 select-wrapper">
              <label htmlFor="idea-call">{t("school.idea.call")}</label>
              <select id="idea-call" required value={callId} onChange={(e) => setCallId(e.target.value)}>
                <option value="">{t("school.idea.choose")}</option>
                {callItems.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
            </div>
            <div className="col-md-6 select-wrapper">
              <label htmlFor="idea-team">{t("school.idea.team")}</label>
              <select id="idea-team" required value={teamId} onChange={(e) => setTeamId(e.target.value)}>
                <option value="">{t("school.idea.choose")}</option>
                {teams.data.items.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name} ({team.className})
                  </option>
                ))}
              </select>
            </div>
            <div className="col-12">
              <div className="form-group">
                <label htmlFor="idea-title-field" className="active">
                  {t("school.idea.title")}
                </label>
                <input
                  id="idea-title-field"
                  className="form-control"
                  required
                  minLength={3}
                  maxLength={120}
                  value={text.title}
                  onChange={(e) => setText({ ...text, title: e.target.value })}
                />
              </div>
            </div>
            {(["summary", "problem", "solution"] as const).map((f) => (
              <div key={f} className="col-12">
                <LongText
                  id={`idea-${f}`}
                  label={`school.idea.${f}`}
                  hint="school.idea.hint20"
                  value={text[f]}
                  onChange={(v) => setText({ ...text, [f]: v })}
                />
              </div>
            ))}
            <div className="col-md-6">
              <SelectField<Area>
                id="idea-area"
                label="catalogue.area"
                value={area}
                options={AREAS}
                optionLabel={(v) => `enum.area.${v}`}
                onChange={setArea}
              />
            </div>
            <div className="col-md-6">
              <SelectField<District>
                id="idea-district"
                label="ideas.district"
                value={district}
                options={DISTRICTS}
                optionLabel={(v) => `enum.district.${v}`}
                onChange={setDistrict}
              />
            </div>
          </div>
          <fieldset className="mt-4">
            <legend className="h5">{t("ideas.technology")}</legend>
            <div className="row">
              {TECHNOLOGIES.map((tech) => (
                <div key={tech} className="col-md-4 form-check">
                  <input
                    id={`tech-${tech}`}
                    type="checkbox"
                    checked={technologies.includes(tech)}
                    onChange={(e) => setTechnologies(toggle(technologies, tech, e.target.checked))}
                  />
                  <label htmlFor={`tech-${tech}`}>{t(`enum.technology.${tech}`)}</label>
                </div>
              ))}
            </div>
          </fieldset>
          <fieldset className="mt-4">
            <legend className="h5">{t("school.idea.needs")}</legend>
            {NEEDS.map((need) => (
              <div key={need} className="form-check form-check-inline">
                <input
                  id={`need-${need}`}
                  type="checkbox"
                  checked={needs.includes(need)}
                  onChange={(e) => setNeeds(toggle(needs, need, e.target.checked))}
                />
                <label htmlFor={`need-${need}`}>{t(`school.need.${need}`)}</label>
              </div>
            ))}
          </fieldset>
          <div aria-live="polite">
            {save.isPending && <Loading label={t("school.saving")} />}
            {save.isError && <ProblemAlert error={save.error} />}
          </div>
          <Button color="primary" type="submit" className="mt-4" disabled={save.isPending}>
            {t("school.idea.save")}
          </Button>
        </form>
      )}
    </section>
  );
}
