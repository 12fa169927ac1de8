// Progress and errors, the same way on every page: a polite live region while something loads and the
// service's own words (problem+json detail or title) when it fails.
import { Alert, Button, Spinner } from "design-react-kit";
import { ProblemError } from "../api/problem.js";
import { useT } from "../i18n/index.js";

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="d-flex align-items-center gap-3 my-3" role="status" aria-live="polite">
      <Spinner active small />
      <span>{label ?? t("loading")}</span>
    </div>
  );
}

export function ProblemAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const problem = error instanceof ProblemError ? error.problem : undefined;
  const network = error instanceof ProblemError && error.status === 0;
  const text = network
    ? t("error.network")
    : (problem?.detail ?? problem?.title ?? (error instanceof Error ? error.message : String(error)));
  return (
    <Alert color="danger" role="alert">
      <h2 className="h5">{problem?.title && !network ? problem.title : t("error.title")}</h2>
      <p className="mb-2">{text}</p>
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
