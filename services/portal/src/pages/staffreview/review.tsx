// Reviewing one idea: what the school wrote, taking it up, the call's panel members assigning
// themselves, the rubric scored 1–5 per criterion with private notes, then the decision (publish or
// reject with the answer to the school) or a change request with its reason. Every refusal shows the
// ideas service's own words next to the action that caused it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Alert, Badge, Button } from "design-react-kit";
import { useEffect, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { useSession } from "../../auth/context.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { useT } from "../../i18n/index.js";
import { describedBy, fieldErrors } from "./common.js";

interface Evaluator {
  subject: string;
  organisationId: string;
  scores?: Record<string, number>;
  weightedScore?: number;
  notes?: string;
}
interface Idea {
  id: string;
  callId: string;
  teamId: string;
  title: string;
  summary: string;
  problem?: string;
  solution?: string;
  state: string;
  area?: string;
  district?: string;
  answer?: string;
  evaluators?: Evaluator[];
  overallScore?: number;
  version: number;
}
interface Criterion {
  key: string;
  label: string;
  weight: number;
}
interface PanelMember {
  subject: string;
  name?: string;
}

const ideaKey = (ideaId: string) => ["ideas", "idea", ideaId] as const;

export function StaffReviewPage({ ideaId }: { ideaId: string }) {
  const t = useT();
  const idea = useQuery({
    queryKey: ideaKey(ideaId),
    queryFn: async () =>
      (await data(api.ideas.GET("/v1/ideas/{ideaId}", { params: { path: { ideaId } } }))) as Idea,
  });
  return (
    <section aria-labelledby="review-title">
      {idea.isPending && (
        <>
          <h1 id="review-title">{t("staffreview.ideas.title")}</h1>
          <Loading />
        </>
      )}
      {idea.isError && (
        <>
          <h1 id="review-title">{t("staffreview.ideas.title")}</h1>
          <ProblemAlert error={idea.error} onRetry={() => void idea.refetch()} />
        </>
      )}
      {idea.isSuccess && <Review idea={idea.data} />}
      <p className="mt-4">
        <Link to="/staff/review">{t("staffreview.ideas.title")}</Link>
        {" · "}
        <Link to="/">{t("staffreview.backHome")}</Link>
      </p>
    </section>
  );
}

function Review({ idea }: { idea: Idea }) {
  const t = useT();
  const me = useSession()?.claims.sub ?? "";
  const call = useQuery({
    queryKey: ["ideas", "call", idea.callId],
    queryFn: async () =>
      (await data(api.ideas.GET("/v1/calls/{callId}", { params: { path: { callId: idea.callId } } }))) as {
        title: string;
        rubric: Criterion[];
        panel?: PanelMember[];
      },
  });
  const team = useQuery({
    queryKey: ["ideas", "team", idea.teamId],
    queryFn: () => data(api.ideas.GET("/v1/teams/{teamId}", { params: { path: { teamId: idea.teamId } } })),
  });
  const evaluators = idea.evaluators ?? [];
  const mine = evaluators.find((e) => e.subject === me);
  const onPanel = call.data?.panel?.some((p) => p.subject === me) ?? false;
  const open = idea.state === "submitted" || idea.state === "under_review";
  const decided = decisionMessage(idea.state);
  const panelName = (subject: string) =>
    call.data?.panel?.find((p) => p.subject === subject)?.name ?? subject;
  return (
    <>
      <h1 id="review-title">{t("staffreview.review.title", { title: idea.title })}</h1>
      <p>
        <span data-testid="idea-state">
          <Badge color={idea.state === "published" ? "success" : "primary"}>
            {t("staffreview.idea.stateLabel", { state: t(`staffreview.idea.state.${idea.state}` as never) })}
          </Badge>
        </span>
        {call.data && <span className="ms-2">{call.data.title}</span>}
      </p>
      <dl className="row">
        <dt className="col-sm-3">{t("staffreview.review.school")}</dt>
        <dd className="col-sm-9">
          {team.data ? `${team.data.schoolName} – ${team.data.name} (${team.data.className})` : "…"}
        </dd>
        {idea.area && (
          <>
            <dt className="col-sm-3">{t("staffreview.review.area")}</dt>
            <dd className="col-sm-9">{t(`enum.area.${idea.area}` as never)}</dd>
          </>
        )}
        {idea.district && (
          <>
            <dt className="col-sm-3">{t("staffreview.review.district")}</dt>
            <dd className="col-sm-9">{t(`enum.district.${idea.district}` as never)}</dd>
          </>
        )}
      </dl>
      <p className="lead">{idea.summary}</p>
      {idea.problem && (
        <>
          <h2 className="h5">{t("staffreview.review.problem")}</h2>
          <p>{idea.problem}</p>
        </>
      )}
      {idea.solution && (
        <>
          <h2 className="h5">{t("staffreview.review.solution")}</h2>
          <p>{idea.solution}</p>
        </>
      )}
      {idea.state === "submitted" && <StartReview idea={idea} />}

      {open && (
        <section aria-labelledby="evaluators-title" className="mt-4">
          <h2 id="evaluators-title" className="h4">
            {t("staffreview.review.evaluators")}
          </h2>
          {evaluators.length === 0 ? (
            <p>{t("staffreview.review.noEvaluators")}</p>
          ) : (
            <ul data-testid="evaluators">
              {evaluators.map((e) => (
                <li key={e.subject}>
                  {panelName(e.subject)}:{" "}
                  {e.weightedScore === undefined
                    ? t("staffreview.review.notScored")
                    : t("staffreview.review.scored", { score: e.weightedScore.toLocaleString("it-IT") })}
                </li>
              ))}
            </ul>
          )}
          {idea.overallScore !== undefined && (
            <p className="fw-semibold">
              {t("staffreview.review.overall", { score: idea.overallScore.toLocaleString("it-IT") })}
            </p>
          )}
          {!mine &&
            call.isSuccess &&
            (onPanel ? <AssignMe idea={idea} me={me} /> : <p>{t("staffreview.review.notOnPanel")}</p>)}
        </section>
      )}
      {mine && idea.state === "under_review" && call.data && (
        <Rubric idea={idea} rubric={call.data.rubric} mine={mine} />
      )}
      {idea.state === "under_review" && <Decision idea={idea} />}
      {open && <RequestChanges idea={idea} />}
      {!open && (
        <Alert color="success" role="status" data-testid="decision-done">
          {decided && <h2 className="h5">{t(decided)}</h2>}
          {idea.answer && (
            <p className="mb-0">
              {t("staffreview.decision.answer")}: {idea.answer}
            </p>
          )}
        </Alert>
      )}
    </>
  );
}

/** A mutation on the idea: its answer replaces the cached idea (the page shows the new state). */
function useIdeaAction<V>(idea: Idea, run: (vars: V) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (vars: V) => (await run(vars)) as Idea,
    onSuccess: (saved) => {
      client.setQueryData(ideaKey(idea.id), saved);
      void client.invalidateQueries({ queryKey: ["ideas", "review"] });
    },
  });
}

const path = (idea: Idea) => ({ path: { ideaId: idea.id } });

function StartReview({ idea }: { idea: Idea }) {
  const t = useT();
  const start = useIdeaAction(idea, () =>
    data(api.ideas.POST("/v1/ideas/{ideaId}/start-review", { params: path(idea) })),
  );
  return (
    <div className="my-3">
      <Button color="primary" onClick={() => start.mutate(undefined)} disabled={start.isPending}>
        {start.isPending ? t("staffreview.review.starting") : t("staffreview.review.start")}
      </Button>
      {start.isError && <ProblemAlert error={start.error} />}
    </div>
  );
}

function AssignMe({ idea, me }: { idea: Idea; me: string }) {
  const t = useT();
  const assign = useIdeaAction(idea, () =>
    data(
      api.ideas.PUT("/v1/ideas/{ideaId}/evaluators", {
        params: path(idea),
        body: { evaluators: [...(idea.evaluators ?? []).map((e) => e.subject), me] },
      }),
    ),
  );
  return (
    <div className="my-3">
      <Button color="primary" outline onClick={() => assign.mutate(undefined)} disabled={assign.isPending}>
        {assign.isPending ? t("staffreview.review.assigning") : t("staffreview.review.assignMe")}
      </Button>
      {assign.isError && <ProblemAlert error={assign.error} />}
    </div>
  );
}

function Rubric({ idea, rubric, mine }: { idea: Idea; rubric: Criterion[]; mine: Evaluator }) {
  const t = useT();
  const [scores, setScores] = useState<Record<string, number>>(() => ({ ...(mine.scores ?? {}) }));
  const [notes, setNotes] = useState(mine.notes ?? "");
  const [missing, setMissing] = useState<string[]>([]);
  const save = useIdeaAction(idea, () =>
    data(
      api.ideas.PUT("/v1/ideas/{ideaId}/scores", {
        params: path(idea),
        body: { scores, ...(notes.trim() ? { notes: notes.trim() } : {}) },
      }),
    ),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const unscored = rubric.filter((c) => scores[c.key] === undefined).map((c) => c.key);
    setMissing(unscored);
    if (unscored.length === 0) save.mutate(undefined);
  };
  const notesErrors = fieldErrors(save.error, "notes");
  return (
    <section aria-labelledby="rubric-title" className="mt-4">
      <h2 id="rubric-title" className="h4">
        {t("staffreview.rubric.title")}
      </h2>
      <form onSubmit={submit} noValidate data-testid="rubric">
        {rubric.map((c) => {
          const invalid = missing.includes(c.key) || fieldErrors(save.error, c.key).length > 0;
          const errorId = `score-${c.key}-error`;
          return (
            <fieldset key={c.key} className="mb-3" {...describedBy(errorId, invalid)}>
              <legend className="h6 mb-2">
                {t("staffreview.rubric.legend", { label: c.label, weight: c.weight })}
              </legend>
              <div className="d-flex gap-4 flex-wrap">
                {[1, 2, 3, 4, 5].map((n) => (
                  <div className="form-check my-0" key={n}>
                    <input
                      className="form-check-input"
                      type="radio"
                      name={`score-${c.key}`}
                      id={`score-${c.key}-${n}`}
                      value={n}
                      checked={scores[c.key] === n}
                      onChange={() => setScores((s) => ({ ...s, [c.key]: n }))}
                    />
                    <label className="form-check-label" htmlFor={`score-${c.key}-${n}`}>
                      {t("staffreview.rubric.score", { score: n })}
                    </label>
                  </div>
                ))}
              </div>
              {invalid && (
                <div id={errorId} className="text-danger">
                  {[
                    ...(missing.includes(c.key) ? [t("staffreview.rubric.missing")] : []),
                    ...fieldErrors(save.error, c.key),
                  ].join(" ")}
                </div>
              )}
            </fieldset>
          );
        })}
        <div className="form-group mt-5">
          <label htmlFor="rubric-notes" className="active">
            {t("staffreview.rubric.notes")}
          </label>
          <textarea
            id="rubric-notes"
            className="form-control"
            rows={3}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            {...describedBy("rubric-notes-error", notesErrors.length > 0)}
          />
          {notesErrors.length > 0 && (
            <div id="rubric-notes-error" className="text-danger">
              {notesErrors.join(" ")}
            </div>
          )}
        </div>
        {save.isError && <ProblemAlert error={save.error} />}
        {save.isSuccess && (
          <p role="status" className="text-success fw-semibold">
            {t("staffreview.rubric.saved")}
          </p>
        )}
        <Button type="submit" color="primary" disabled={save.isPending}>
          {save.isPending ? t("staffreview.rubric.saving") : t("staffreview.rubric.save")}
        </Button>
      </form>
    </section>
  );
}

function Decision({ idea }: { idea: Idea }) {
  const t = useT();
  const [answer, setAnswer] = useState(idea.answer ?? "");
  const decide = useIdeaAction(idea, (kind: "publish" | "reject") =>
    data(
      api.ideas.POST(`/v1/ideas/{ideaId}/${kind}`, {
        params: path(idea),
        body: answer.trim() ? { answer: answer.trim() } : {},
      }),
    ),
  );
  const { reset } = decide;
  useEffect(() => reset(), [idea.version, reset]);
  const answerErrors = fieldErrors(decide.error, "answer");
  return (
    <section aria-labelledby="decision-title" className="mt-4">
      <h2 id="decision-title" className="h4">
        {t("staffreview.decision.title")}
      </h2>
      <div className="form-group mt-5">
        <label htmlFor="decision-answer" className="active">
          {t("staffreview.decision.answer")}
        </label>
        <textarea
          id="decision-answer"
          className="form-control"
          rows={3}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          {...describedBy("decision-answer-error", answerErrors.length > 0, "decision-answer-help")}
        />
        <small id="decision-answer-help" className="form-text">
          {t("staffreview.decision.answerHelp")}
        </small>
        {answerErrors.length > 0 && (
          <div id="decision-answer-error" className="text-danger">
            {answerErrors.join(" ")}
          </div>
        )}
      </div>
      {decide.isError && <ProblemAlert error={decide.error} />}
      {decide.isPending && <Loading label={t("staffreview.decision.working")} />}
      <div className="d-flex gap-3">
        <Button color="primary" onClick={() => decide.mutate("publish")} disabled={decide.isPending}>
          {t("staffreview.decision.publish")}
        </Button>
        <Button color="danger" outline onClick={() => decide.mutate("reject")} disabled={decide.isPending}>
          {t("staffreview.decision.reject")}
        </Button>
      </div>
    </section>
  );
}

function RequestChanges({ idea }: { idea: Idea }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const send = useIdeaAction(idea, () =>
    data(
      api.ideas.POST("/v1/ideas/{ideaId}/request-changes", {
        params: path(idea),
        body: { reason: reason.trim() },
      }),
    ),
  );
  const errors = fieldErrors(send.error, "reason");
  return (
    <section aria-labelledby="changes-title" className="mt-4">
      <h2 id="changes-title" className="h4">
        {t("staffreview.changes.title")}
      </h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate(undefined);
        }}
        noValidate
      >
        <div className="form-group mt-5">
          <label htmlFor="changes-reason" className="active">
            {t("staffreview.changes.reason")}
          </label>
          <textarea
            id="changes-reason"
            className="form-control"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            {...describedBy("changes-reason-error", errors.length > 0, "changes-reason-help")}
          />
          <small id="changes-reason-help" className="form-text">
            {t("staffreview.changes.help")}
          </small>
          {errors.length > 0 && (
            <div id="changes-reason-error" className="text-danger">
              {errors.join(" ")}
            </div>
          )}
        </div>
        {send.isError && <ProblemAlert error={send.error} />}
        <Button type="submit" color="primary" outline disabled={send.isPending}>
          {send.isPending ? t("staffreview.decision.working") : t("staffreview.changes.send")}
        </Button>
      </form>
    </section>
  );
}

/** Shown after a decision: the idea's new state comes from the service's answer. */
export function decisionMessage(
  state: string,
):
  | "staffreview.decision.published"
  | "staffreview.decision.rejected"
  | "staffreview.decision.changesRequested"
  | undefined {
  if (state === "published") return "staffreview.decision.published";
  if (state === "rejected") return "staffreview.decision.rejected";
  if (state === "draft") return "staffreview.decision.changesRequested";
  return undefined;
}
