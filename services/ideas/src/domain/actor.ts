/** Who performs an action, as the domain needs to know it (the organisation decides conflicts of interest). */
export interface Actor {
  subject: string;
  organisationId: string;
}

/** Changes caused by another service's events are recorded under this subject in an idea's history. */
export const ADOPTION_SERVICE: Actor = { subject: "service:adoption", organisationId: "lto" };
