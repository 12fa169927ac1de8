// The school's ideas by state, each with what it still lacks before its next step (the rules the ideas
// service applies at submit: 20 characters of summary, problem and solution, an area, a district and a
// technology), and a draft's submit button showing the service's own words when it refuses.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "design-react-kit";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useT, type MessageId } from "../../i18n/index.js";

type IdeaState =
  "draft" | "submitted" | "under_review" | "published" | "rejected" | "withdrawn" | "adopted" | "completed";

interface SchoolIdea {
  id: string;
  title: string;
  state: IdeaState;
  summary?: string;
  problem?: string;
  solution?: string;
  area?: string;
  district?: string;
  technologies: string[];
  version: number;
  history?: Array<{ to: string; reason?: string }>;
}

/** What a draft lacks to be submitted, or what the idea waits for next. */
function missing(idea: SchoolIdea): MessageId[] {
  switch (idea.state) {
    case "draft": {
      const lacks: MessageId[] = [];
      for (const field of ["summary", "problem", "solution"] as const) {
        if ((idea[field] ?? "").trim().length < 20) lacks.push(`school.ideas.missing.${field}`);
      }
      if (!idea.area) lacks.push("school.ideas.missing.area");
      if (!idea.district) lacks.push("school.ideas.missing.district");
      if (idea.technologies.length === 0) lacks.push("school.ideas.missing.technologies");
      return lacks.length ? lacks : ["school.ideas.next.submit"];
    }
    case "submitted":
    case "under_review":
      return ["school.ideas.next.review"];
    case "published":
      return ["school.ideas.next.offers"];
    case "adopted":
      return ["school.ideas.next.deliveries"];
    default:
      return [];
  }
}

const STATES: readonly IdeaState[] = [
  "draft",
  "submitted",
  "under_review",
  "published",
  "adopted",
  "completed",
  "rejected",
  "withdrawn",
];

export function SchoolIdeas({ schoolId }: { schoolId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const paged = usePagedQuery(
    ["school", "ideas", schoolId],
    (cursor) => data(api.ideas.GET("/v1/ideas", { params: { query: { schoolId, limit: 20, cursor } } })),
    { enabled: !!schoolId },
  );
  const submit = useMutation({
    mutationFn: (idea: SchoolIdea) =>
      data(
        api.ideas.POST("/v1/ideas/{ideaId}/submit", {
          params: { path: { ideaId: idea.id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["school", "ideas"] }),
  });
  return (
    <section aria-labelledby="school-ideas" className="mt-5">
      <h2 id="school-ideas" className="h3">
        {t("school.ideas.title")}
      </h2>
      {submit.isError && <ProblemAlert error={submit.error} />}
      {submit.isPending && <Loading label={t("school.ideas.submitting")} />}
      <PagedList paged={paged} empty={t("school.ideas.empty")}>
        {(items) => {
          const ideas = items as unknown as SchoolIdea[];
          return (
            <>
              {STATES.map((state) => {
                const inState = ideas.filter((i) => i.state === state);
                if (inState.length === 0) return null;
                return (
                  <section key={state} aria-labelledby={`ideas-${state}`} className="mb-4">
                    <h3 id={`ideas-${state}`} className="h5">
                      {t(`school.ideas.state.${state}`)} <Badge color="primary">{inState.length}</Badge>
                    </h3>
                    <ul className="list-unstyled" data-testid={`ideas-${state}`}>
                      {inState.map((idea) => {
                        // Staff's reason for sending it back or rejecting it, or the school's for withdrawing it.
                        const reason = ["draft", "rejected", "withdrawn"].includes(state)
                          ? idea.history?.findLast((h) => h.to === state)?.reason
                          : undefined;
                        return (
                          <li key={idea.id} className="border rounded p-3 mb-2" data-idea-id={idea.id}>
                            <strong>{idea.title}</strong>
                            <ul className="small mb-2">
                              {missing(idea).map((m) => (
                                <li key={m}>{t(m)}</li>
                              ))}
                              {reason && <li>{t("school.ideas.reason", { reason })}</li>}
                            </ul>
                            {idea.state === "draft" && (
                              <Button
                                color="primary"
                                size="sm"
                                disabled={submit.isPending}
                                onClick={() => submit.mutate(idea)}
                              >
                                {t("school.ideas.submit", { title: idea.title })}
                              </Button>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  </section>
                );
              })}
            </>
          );
        }}
      </PagedList>
    </section>
  );
}
