// The school's teams with each member's consent, paged; a minor without consent is flagged, since no
// idea of the team can be submitted or adopted until the school records it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { romeToday, useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";

export interface Member {
  id?: string;
  pseudonym: string;
  minor?: boolean;
  parentalConsentOn?: string;
}

/** Records the day a minor's parents gave their consent, from the team's card. */
function RecordConsent({ teamId, member }: { teamId: string; member: Member }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [day, setDay] = useState(romeToday());
  const record = useMutation({
    mutationFn: () =>
      data(
        api.ideas.POST("/v1/teams/{teamId}/members/{memberId}/consent", {
          params: { path: { teamId, memberId: member.id ?? "" } },
          body: { parentalConsentOn: day },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["school"] }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const id = `consent-${teamId}-${member.id}`;
  return (
    <form onSubmit={onSubmit} className="d-flex flex-wrap align-items-end gap-2 my-2">
      <div className="form-group mb-0">
        <label htmlFor={id} className="active">
          {t("school.teams.consentFor", { name: member.pseudonym })}
        </label>
        <input
          id={id}
          type="date"
          required
          className="form-control"
          value={day}
          onChange={(e) => setDay(e.target.value)}
        />
      </div>
      <Button color="primary" size="sm" type="submit" disabled={record.isPending}>
        {t("school.teams.recordConsent")}
      </Button>
      <div className="w-100" aria-live="polite">
        {record.isPending && <Loading label={t("school.saving")} />}
        {record.isError && <ProblemAlert error={record.error} />}
      </div>
    </form>
  );
}

export function SchoolTeams() {
  const t = useT();
  const day = useRomeTime();
  const paged = usePagedQuery(["school", "teams"], (cursor) =>
    data(api.ideas.GET("/v1/teams", { params: { query: { limit: 10, cursor } } })),
  );
  return (
    <section aria-labelledby="school-teams" className="mt-5">
      <h2 id="school-teams" className="h3">
        {t("school.teams.title")}
      </h2>
      <PagedList paged={paged} empty={t("school.teams.empty")}>
        {(teams) => (
          <ul className="list-unstyled" data-testid="team-list">
            {teams.map((team) => {
              const members = team.members as Member[];
              const lacking = members.filter((m) => m.minor && !m.parentalConsentOn);
              return (
                <li key={team.id} className="border rounded p-3 mb-3">
                  <h3 className="h5">
                    {team.name} · {team.className} · {team.schoolYear}
                  </h3>
                  {lacking.length > 0 ? (
                    <p className="text-danger fw-semibold">
                      {t("school.teams.consentMissing", {
                        names: lacking.map((m) => m.pseudonym).join(", "),
                      })}
                    </p>
                  ) : (
                    <p>{t("school.teams.consentOk")}</p>
                  )}
                  <ul className="mb-0">
                    {members.map((m) => (
                      <li key={m.id ?? m.pseudonym}>
                        {m.pseudonym}{" "}
                        {m.minor ? (
                          m.parentalConsentOn ? (
                            <Badge color="success">
                              {t("school.teams.consentOn", { date: day(m.parentalConsentOn, "day") })}
                            </Badge>
                          ) : (
                            <>
                              <Badge color="danger">{t("school.teams.noConsent")}</Badge>
                              {m.id && <RecordConsent teamId={team.id} member={m} />}
                            </>
                          )
                        ) : (
                          <span className="small">{t("school.teams.adult")}</span>
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              );
            })}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
