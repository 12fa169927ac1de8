// Progress and errors, the same way on every page: a polite live region while something loads and the
// service's own words (problem+json detail or title) when it fails, after a sentence in the page's
// language saying what kind of refusal it is (problem-sentence.ts).
import { Alert, Button, Spinner } from "design-react-kit";
import { ProblemError } from "../api/problem.js";
import { useT } from "../i18n/index.js";
import { problemSentence } from "./problem-sentence.js";

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="d-flex align-items-center gap-3 my-3" role="status" aria-live="polite">
      <Spinner active small />
      <span>{label ?? t("loading")}</span>
    </div>
  );
}

export function ProblemAlert({
  error,
  onRetry,
  level = 2,
}: {
  error: unknown;
  onRetry?: () => void;
  /** Its heading's level: one below the section it stands in (2 on a page's own sections). */
  level?: 2 | 3 | 4 | 5 | 6;
}) {
  const Heading = `h${level}` as const;
  const t = useT();
  const failure = error instanceof ProblemError ? error : undefined;
  const problem = failure?.problem;
  // Ours first (what happened and what to do, in the page's language), then the service's own words.
  const sentence = failure
    ? problemSentence(failure.status, failure.problem, failure.retryAfterSeconds)
    : undefined;
  const detail =
    failure?.status === 0
      ? undefined
      : (problem?.detail ?? problem?.title ?? (error instanceof Error ? error.message : String(error)));
  return (
    <Alert color="danger" role="alert">
      <Heading className="h5">{t("error.title")}</Heading>
      {sentence && (
        <p className="mb-2 fw-semibold" data-testid="problem-sentence">
          {t(sentence.id, sentence.values)}
        </p>
      )}
      {detail && (
        <p className="mb-2" data-testid="problem-detail">
          {sentence && <span>{t("error.detail")} </span>}
          {detail}
        </p>
      )}
      {problem?.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.path}>
              <strong>{e.path}</strong>: {e.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <Button color="primary" outline size="sm" onClick={onRetry}>
          {t("error.retry")}
        </Button>
      )}
    </Alert>
  );
}
