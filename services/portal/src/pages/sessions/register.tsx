// The attendance register of one meeting: the session's confirmed learners, present / absent / late (with
// the minutes missed) as native radio groups (arrows move, Space picks), saved in one PUT. The service
// appends each change as a correction; its refusals are shown in its own words.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Alert, Button } from "design-react-kit";
import { useEffect, useState } from "react";
import { api, data } from "../../api/client.js";
import { ProblemError } from "../../api/problem.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { useLocale, useT } from "../../i18n/index.js";
import { usePersonNames } from "../staff/common.js";
import { romeDay, romeTime } from "../staff/time.js";
import { useCourseTitle } from "./calendar.js";

type Status = "present" | "absent" | "late";
type Mark = { status?: Status; lateMinutes: string };
const STATUSES: Status[] = ["present", "absent", "late"];

/** Every confirmed learner of the session: the roster is bounded by its capacity, read page by page. */
async function roster(sessionId: string): Promise<string[]> {
  const people: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await data(
      api.catalogue.GET("/v1/sessions/{sessionId}/enrolments", {
        params: { path: { sessionId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
      }),
    );
    people.push(...page.items.filter((e) => e.status === "confirmed").map((e) => e.personId));
    cursor = page.nextCursor;
  } while (cursor);
  return people;
}

export function AttendanceRegisterPage({ sessionId, meetingId }: { sessionId: string; meetingId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const client = useQueryClient();
  const session = useQuery({
    queryKey: ["catalogue", "session", sessionId],
    queryFn: () => data(api.catalogue.GET("/v1/sessions/{sessionId}", { params: { path: { sessionId } } })),
  });
  const people = useQuery({ queryKey: ["catalogue", "roster", sessionId], queryFn: () => roster(sessionId) });
  const register = useQuery({
    queryKey: ["catalogue", "attendance", sessionId, meetingId],
    queryFn: () =>
      data(
        api.catalogue.GET("/v1/sessions/{sessionId}/meetings/{meetingId}/attendance", {
          params: { path: { sessionId, meetingId } },
        }),
      ),
  });
  const title = useCourseTitle(session.data?.courseId);
  const personName = usePersonNames(session.data?.site ?? "");
  const meeting = session.data?.meetings.find((m) => m.id === meetingId);
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  useEffect(() => {
    if (!register.data) return;
    setMarks(
      Object.fromEntries(
        register.data.current.map((m) => [
          m.personId,
          { status: m.status, lateMinutes: m.lateMinutes ? String(m.lateMinutes) : "" },
        ]),
      ),
    );
  }, [register.data]);
  const [sent, setSent] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: () => {
      const body = Object.entries(marks)
        .filter(([, m]) => m.status)
        .map(([personId, m]) => ({
          personId,
          status: m.status!,
          ...(m.status === "late" && m.lateMinutes ? { lateMinutes: Number(m.lateMinutes) } : {}),
        }));
      setSent(body.map((m) => m.personId));
      return data(
        api.catalogue.PUT("/v1/sessions/{sessionId}/meetings/{meetingId}/attendance", {
          params: { path: { sessionId, meetingId } },
          body: { marks: body },
        }),
      );
    },
    onSuccess: (saved) => client.setQueryData(["catalogue", "attendance", sessionId, meetingId], saved),
  });
  // The service names a bad mark by its place in the request ("marks.1.lateMinutes"): shown by its learner.
  const fieldErrors = new Map<string, string>();
  if (save.error instanceof ProblemError)
    for (const e of save.error.problem?.errors ?? []) {
      const match = /^marks\.(\d+)\./.exec(e.path);
      const personId = match ? sent[Number(match[1])] : undefined;
      if (personId) fieldErrors.set(personId, e.message);
    }
  const set = (personId: string, change: Partial<Mark>) =>
    setMarks((all) => ({ ...all, [personId]: { lateMinutes: "", ...all[personId], ...change } }));
  const heading = meeting
    ? t("sessions.register.title", {
        course: title,
        day: romeDay(meeting.startsAt, locale),
        time: romeTime(meeting.startsAt, locale),
      })
    : t("sessions.register.titleShort");
  const failed = session.error ?? people.error ?? register.error;
  return (
    <section aria-labelledby="register-title">
      <p>
        <Link to="/">{t("sessions.backHome")}</Link>
      </p>
      <h1 id="register-title">{heading}</h1>
      {meeting && (
        <p className="lead">
          {meeting.room} · {meeting.trainer}
        </p>
      )}
      {(session.isPending || people.isPending || register.isPending) && !failed && <Loading />}
      {failed && <ProblemAlert error={failed} />}
      {people.isSuccess && register.isSuccess && people.data.length === 0 && (
        <p>{t("sessions.register.noLearners")}</p>
      )}
      {people.isSuccess && register.isSuccess && people.data.length > 0 && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          {people.data.map((personId) => {
            const mark = marks[personId];
            // Learners are the catalogue's sign-in subjects: a name only when the site's registry knows it.
            const known = personName(personId);
            const name = known === personId.slice(0, 8) ? personId : known;
            return (
              <fieldset key={personId} className="border-bottom py-2 mb-2" data-person={personId}>
                <legend className="h6">{name}</legend>
                <div className="d-flex gap-4 flex-wrap align-items-center">
                  {STATUSES.map((status) => (
                    <div className="form-check form-check-inline" key={status}>
                      <input
                        type="radio"
                        id={`mark-${personId}-${status}`}
                        name={`mark-${personId}`}
                        value={status}
                        checked={mark?.status === status}
                        onChange={() => set(personId, { status })}
                      />
                      <label htmlFor={`mark-${personId}-${status}`}>{t(`sessions.mark.${status}`)}</label>
                    </div>
                  ))}
                  {mark?.status === "late" && (
                    <div className="d-flex align-items-center gap-2">
                      <label htmlFor={`late-${personId}`} className="mb-0 text-nowrap">
                        {t("sessions.mark.lateMinutes")}
                      </label>
                      <input
                        type="number"
                        min={1}
                        max={1440}
                        className="form-control"
                        style={{ width: "6rem" }}
                        id={`late-${personId}`}
                        value={mark.lateMinutes}
                        aria-invalid={fieldErrors.has(personId) || undefined}
                        aria-describedby={fieldErrors.has(personId) ? `late-error-${personId}` : undefined}
                        onChange={(e) => set(personId, { lateMinutes: e.target.value })}
                      />
                    </div>
                  )}
                </div>
                {fieldErrors.has(personId) && (
                  <p id={`late-error-${personId}`} className="text-danger mb-0">
                    {fieldErrors.get(personId)}
                  </p>
                )}
              </fieldset>
            );
          })}
          {save.isError && <ProblemAlert error={save.error} />}
          {save.isPending && <Loading label={t("sessions.register.saving")} />}
          {save.isSuccess && (
            <Alert color="success" role="status">
              {t("sessions.register.saved", { count: save.data.current.length })}
            </Alert>
          )}
          <Button color="primary" type="submit" disabled={save.isPending}>
            {t("sessions.register.save")}
          </Button>
        </form>
      )}
    </section>
  );
}
