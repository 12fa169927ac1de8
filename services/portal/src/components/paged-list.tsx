// A list read page by page from a service, the same way everywhere: the query keyed by what the page
// asks plus the cursor (a change of filters starts again from page 1), progress while the first page or
// a new one loads, the service's problem with a retry, the empty text, the items, the pager.
import { keepPreviousData, useQuery, type UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Loading, ProblemAlert } from "./feedback.js";
import { Pager, useCursorPages } from "./pager.js";

export interface PageOf<T> {
  items: T[];
  nextCursor?: string;
}

export interface PagedQuery<T> {
  query: UseQueryResult<PageOf<T>>;
  pages: ReturnType<typeof useCursorPages>;
}

/** `key`: what the list is (service, list, filters); `fetchPage(cursor)`: one page of it. */
export function usePagedQuery<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>,
  options: { enabled?: boolean; retry?: boolean } = {},
): PagedQuery<T> {
  const pages = useCursorPages(JSON.stringify(key));
  const query = useQuery({
    queryKey: [...key, pages.cursor],
    queryFn: () => fetchPage(pages.cursor),
    placeholderData: keepPreviousData,
    ...options,
  });
  return { query, pages };
}

export function PagedList<T>(props: {
  paged: PagedQuery<T>;
  /** What an empty answer says. */
  empty: ReactNode;
  /** Above the items once they are there (e.g. a visually hidden "results, page n" heading). */
  heading?: ReactNode;
  /** The pager even on a single page (a browsing page whose filters may narrow it to one). */
  pagerAlways?: boolean;
  /** What the progress says while a page loads, where the list's own words say more than "loading". */
  loadingLabel?: string;
  /** The items as the page lays them out: a list, a table (its caption can use `paged.pages.page`), ... */
  children: (items: T[]) => ReactNode;
}) {
  const { paged, empty, heading, pagerAlways, loadingLabel, children } = props;
  const { query, pages } = paged;
  return (
    <div aria-live="polite" aria-busy={query.isFetching}>
      {(query.isLoading || query.isPlaceholderData) && <Loading label={loadingLabel} />}
      {query.isError && <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && (
        <>
          {heading}
          {query.data.items.length === 0 ? <p>{empty}</p> : children(query.data.items)}
          {(pagerAlways || pages.page > 1 || query.data.nextCursor) && (
            <Pager
              page={pages.page}
              nextCursor={query.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
              busy={query.isFetching}
            />
          )}
        </>
      )}
    </div>
  );
}
