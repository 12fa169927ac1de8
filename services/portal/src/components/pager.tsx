// Every list pages with the platform's cursors: forward with nextCursor, back through the cursors
// already seen. Filters changing start again from the first page.
import { useEffect, useState } from "react";
import { useT } from "../i18n/index.js";

export function useCursorPages(resetKey: string) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  useEffect(() => setCursors([undefined]), [resetKey]);
  const page = cursors.length;
  return {
    cursor: cursors[cursors.length - 1],
    page,
    next: (nextCursor: string) => setCursors((c) => [...c, nextCursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

export function Pager(props: {
  page: number;
  nextCursor: string | undefined;
  onNext(cursor: string): void;
  onPrevious(): void;
  busy?: boolean;
}) {
  const t = useT();
  const { page, nextCursor, onNext, onPrevious, busy } = props;
  return (
    <nav className="pagination-wrapper mt-4" aria-label={t("pager.label")}>
      <ul className="pagination">
        <li className={`page-item${page <= 1 ? " disabled" : ""}`}>
          <button
            type="button"
            className="page-link"
            onClick={onPrevious}
            disabled={page <= 1 || busy}
            aria-label={t("pager.previous")}
          >
            ‹ <span className="ms-1">{t("pager.previous")}</span>
          </button>
        </li>
        <li className="page-item active">
          <span className="page-link" aria-current="page">
            {t("pager.page", { page })}
          </span>
        </li>
        <li className={`page-item${nextCursor ? "" : " disabled"}`}>
          <button
            type="button"
            className="page-link"
            onClick={() => nextCursor && onNext(nextCursor)}
            disabled={!nextCursor || busy}
            aria-label={t("pager.next")}
          >
            <span className="me-1">{t("pager.next")}</span> ›
          </button>
        </li>
      </ul>
    </nav>
  );
}
