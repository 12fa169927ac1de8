/** Who performs an action, as the domain needs to know it. */
export interface Actor {
  subject: string;
  organisationId: string;
}

/** The provider of the LTO's own courses (a partner body's courses carry the body's id). */
export const LTO_PROVIDER = "lto";
