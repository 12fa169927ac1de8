// A new team: its class and school year, and its members by pseudonym (never a name), each minor with
// the day the parental consent was given (left empty, the team is saved and the home says it lacks it).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { romeToday } from "../../components/rome-time.js";
import { useT, type MessageId } from "../../i18n/index.js";

interface MemberDraft {
  pseudonym: string;
  minor: boolean;
  parentalConsentOn: string;
}

/** The school year a day falls in: September starts the next one ("2026/27"). */
export function schoolYearOf(day: string): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  const start = m >= 9 ? y : y - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

function TextField(props: {
  id: string;
  label: MessageId;
  value: string;
  onChange(value: string): void;
  maxLength: number;
  required?: boolean;
  type?: string;
}) {
  const t = useT();
  return (
    <div className="form-group">
      <label htmlFor={props.id} className="active">
        {t(props.label)}
      </label>
      <input
        id={props.id}
        type={props.type ?? "text"}
        className="form-control"
        required={props.required ?? true}
        maxLength={props.maxLength}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

export function NewTeamPage() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [team, setTeam] = useState({
    name: "",
    schoolName: "",
    className: "",
    schoolYear: schoolYearOf(romeToday()),
    referentTeacher: "",
  });
  const [members, setMembers] = useState<MemberDraft[]>([
    { pseudonym: "", minor: true, parentalConsentOn: "" },
  ]);
  const save = useMutation({
    mutationFn: () =>
      data(
        api.ideas.POST("/v1/teams", {
          params: { header: { "Idempotency-Key": crypto.randomUUID() } },
          body: {
            ...team,
            members: members.map((m) => ({
              pseudonym: m.pseudonym,
              minor: m.minor,
              ...(m.minor && m.parentalConsentOn ? { parentalConsentOn: m.parentalConsentOn } : {}),
            })),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["school"] });
      await navigate({ to: "/" });
    },
  });
  const setMember = (i: number, change: Partial<MemberDraft>) =>
    setMembers((ms) => ms.map((m, n) => (n === i ? { ...m, ...change } : m)));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const field = (name: keyof typeof team, label: MessageId, maxLength: number) => (
    <TextField
      id={`team-${name}`}
      label={label}
      value={team[name]}
      maxLength={maxLength}
      onChange={(value) => setTeam({ ...team, [name]: value })}
    />
  );
  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">{t("school.teams.new")}</h1>
      <p>{t("school.teams.newIntro")}</p>
      <form onSubmit={onSubmit} noValidate={false}>
        <div className="row gy-4 mt-2">
          <div className="col-md-6">{field("name", "school.team.name", 100)}</div>
          <div className="col-md-6">{field("schoolName", "school.team.schoolName", 200)}</div>
          <div className="col-md-4">{field("className", "school.team.className", 10)}</div>
          <div className="col-md-4">{field("schoolYear", "school.team.schoolYear", 7)}</div>
          <div className="col-md-4">{field("referentTeacher", "school.team.teacher", 200)}</div>
        </div>
        <fieldset className="mt-4">
          <legend className="h4">{t("school.team.members")}</legend>
          {members.map((m, i) => (
            <div key={i} className="row gy-3 align-items-end border-bottom pb-3 mb-3">
              <div className="col-md-4">
                <TextField
                  id={`member-${i}-pseudonym`}
                  label="school.team.pseudonym"
                  value={m.pseudonym}
                  maxLength={40}
                  onChange={(pseudonym) => setMember(i, { pseudonym })}
                />
              </div>
              <div className="col-md-3">
                <div className="form-check">
                  <input
                    id={`member-${i}-minor`}
                    type="checkbox"
                    checked={m.minor}
                    onChange={(e) => setMember(i, { minor: e.target.checked })}
                  />
                  <label htmlFor={`member-${i}-minor`}>{t("school.team.minor")}</label>
                </div>
              </div>
              {m.minor && (
                <div className="col-md-4">
                  <TextField
                    id={`member-${i}-consent`}
                    type="date"
                    label="school.team.consentOn"
                    value={m.parentalConsentOn}
                    maxLength={10}
                    required={false}
                    onChange={(parentalConsentOn) => setMember(i, { parentalConsentOn })}
                  />
                </div>
              )}
              {members.length > 1 && (
                <div className="col-md-1">
                  <Button
                    color="secondary"
                    outline
                    size="xs"
                    onClick={() => setMembers((ms) => ms.filter((_, n) => n !== i))}
                    aria-label={t("school.team.removeMember", { n: i + 1 })}
                  >
                    ✕
                  </Button>
                </div>
              )}
            </div>
          ))}
          <Button
            color="primary"
            outline
            size="sm"
            disabled={members.length >= 12}
            onClick={() => setMembers((ms) => [...ms, { pseudonym: "", minor: true, parentalConsentOn: "" }])}
          >
            {t("school.team.addMember")}
          </Button>
        </fieldset>
        <div aria-live="polite">
          {save.isPending && <Loading label={t("school.saving")} />}
          {save.isError && <ProblemAlert error={save.error} />}
        </div>
        <Button color="primary" type="submit" className="mt-4" disabled={save.isPending}>
          {t("school.team.save")}
        </Button>
      </form>
    </section>
  );
}
