// The site's open lab conflicts on the staff home: course meetings that came to a lab already booked,
// every one still open whatever its week (one in a later week matters now), paged. Staff resolve one once
// the lab is free again: a confirmation step (with an optional note on how the lab was freed), then the
// resolution; the service's refusal (409 naming the bookings still holding the time) in its own words.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "design-react-kit";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import type { paths } from "../../api/self-employment";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useLocale, useT } from "../../i18n/index.js";
import { useRoomName } from "../staff/common.js";
import { romeFullDay, romeTime } from "../staff/time.js";
import { useCourseTitle } from "./calendar.js";

type LabConflict =
  paths["/v1/lab-conflicts/{conflictId}"]["get"]["responses"][200]["content"]["application/json"];

/** How one conflict is said: the lab, the meeting's day and time in Rome. */
function useConflictWords(site: string) {
  const { locale } = useLocale();
  const roomName = useRoomName(site);
  return (c: LabConflict) => ({
    room: roomName(c.roomId),
    day: romeFullDay(c.start, locale),
    start: romeTime(c.start, locale),
    end: romeTime(c.end, locale),
  });
}

export function LabConflicts({ site }: { site: string }) {
  const t = useT();
  const words = useConflictWords(site);
  const [outcome, setOutcome] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const paged = usePagedQuery(["self-employment", "lab-conflicts", site, "open"], (cursor) =>
    data(
      api.selfEmployment.GET("/v1/lab-conflicts", {
        params: { query: { site, status: "open", limit: 10, cursor } },
      }),
    ),
  );
  return (
    <section aria-labelledby="lab-conflicts-title" className="mt-4" data-testid="lab-conflicts">
      <h2 id="lab-conflicts-title" className="h3" tabIndex={-1} ref={heading}>
        {t("sessions.labs.title")}
      </h2>
      <p>{t("sessions.labs.intro")}</p>
      <p
        role="status"
        aria-live="polite"
        className="fw-semibold text-success"
        data-testid="lab-conflicts-outcome"
      >
        {outcome}
      </p>
      <PagedList paged={paged} empty={t("sessions.labs.none")}>
        {(conflicts) => (
          <ul className="list-unstyled">
            {conflicts.map((c) => (
              <ConflictItem
                key={c.id}
                conflict={c}
                site={site}
                onResolved={(resolved) => {
                  setOutcome(t("sessions.labs.resolved", words(resolved)));
                  // The item leaves the list: the focus goes to the section's heading, the status says why.
                  heading.current?.focus();
                }}
                onStart={() => setOutcome("")}
              />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

function ConflictItem(props: {
  conflict: LabConflict;
  site: string;
  onStart(): void;
  onResolved(c: LabConflict): void;
}) {
  const { conflict: c, site, onStart, onResolved } = props;
  const t = useT();
  const said = useConflictWords(site)(c);
  const course = useCourseTitle(c.courseId);
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState("");
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const resolveButton = useRef<HTMLButtonElement>(null);
  const resolve = useMutation({
    mutationFn: () =>
      data(
        api.selfEmployment.POST("/v1/lab-conflicts/{conflictId}/resolution", {
          params: { path: { conflictId: c.id } },
          body: note.trim() ? { note: note.trim() } : {},
        }),
      ),
    onSuccess: (resolved) => onResolved(resolved),
    // Resolved, or refused: nothing changed unless the catalogue resolved it meanwhile (a moved
    // meeting). Either way the open list is read again.
    onSettled: () => void client.invalidateQueries({ queryKey: ["self-employment", "lab-conflicts", site] }),
  });
  // The confirmation takes the focus, so a keyboard or screen-reader user lands on what it asks.
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resolve.mutate();
  };
  const cancel = () => {
    setConfirming(false);
    resolve.reset();
    setTimeout(() => resolveButton.current?.focus(), 0);
  };
  const titleId = `lab-conflict-${c.id}`;
  return (
    <li className="border rounded p-3 mb-3" data-conflict-id={c.id}>
      <h3 id={titleId} className="h5">
        {t("sessions.labs.conflict", said)}
      </h3>
      {course && <p className="mb-2">{t("sessions.labs.course", { course })}</p>}
      {!confirming ? (
        <Button
          color="primary"
          outline
          size="sm"
          innerRef={resolveButton}
          onClick={() => {
            onStart();
            setConfirming(true);
          }}
        >
          {t("sessions.labs.resolve")}
          <span className="visually-hidden"> {t("sessions.labs.conflict", said)}</span>
        </Button>
      ) : (
        <form
          onSubmit={submit}
          noValidate
          className="border border-primary rounded p-3"
          style={{ maxWidth: "40rem" }}
          aria-labelledby={`${titleId}-confirm`}
        >
          <h4 id={`${titleId}-confirm`} className="h6" tabIndex={-1} ref={confirmHeading}>
            {t("sessions.labs.confirmTitle", said)}
          </h4>
          <p>{t("sessions.labs.confirmText")}</p>
          <div className="form-group">
            <label htmlFor={`${titleId}-note`} className="active">
              {t("sessions.labs.note")}
            </label>
            <input
              id={`${titleId}-note`}
              className="form-control"
              value={note}
              maxLength={2000}
              onChange={(e) => setNote(e.target.value)}
              aria-describedby={`${titleId}-note-help`}
            />
            <small id={`${titleId}-note-help`} className="form-text">
              {t("sessions.labs.noteHelp")}
            </small>
          </div>
          {resolve.isError && <ProblemAlert error={resolve.error} level={5} />}
          {resolve.isPending && <Loading label={t("sessions.labs.resolving")} />}
          <div className="d-flex gap-3">
            <Button type="submit" color="primary" disabled={resolve.isPending}>
              {t("sessions.labs.confirm")}
            </Button>
            <Button type="button" color="secondary" outline onClick={cancel}>
              {t("sessions.labs.cancel")}
            </Button>
          </div>
        </form>
      )}
    </li>
  );
}
