import {
  catalogueV1,
  IdeaAdoptedEvent,
  SessionRescheduledEvent,
  SessionScheduledEvent,
} from "@lto/contracts";
import { ContractViolationError } from "@lto/messaging";
import { describe, expect, it } from "vitest";
import { ideaAdoptedFact, sessionRescheduledFact, sessionScheduledFact } from "../../src/contract/index.js";
import { received } from "../fixtures.js";

const meeting = (overrides: Partial<catalogueV1.Meeting> = {}) =>
  catalogueV1.Meeting.fromPartial({
    id: "m1",
    startsAt: "2027-01-04T15:00:00Z",
    endsAt: "2027-01-04T18:00:00Z",
    room: "lto-mantova-fablab",
    sequence: 2,
    ...overrides,
  });

describe("the catalogue's session events as facts", () => {
  it("maps a scheduled session's meetings with their instants, room and sequence", () => {
    const fact = sessionScheduledFact(
      received(
        SessionScheduledEvent.type,
        SessionScheduledEvent.create({
          sessionId: "s1",
          courseId: "c1",
          site: "lto-mantova",
          session: catalogueV1.Session.fromPartial({ meetings: [meeting()] }),
          version: 3,
        }),
      ),
    );
    expect(fact).toMatchObject({ sessionId: "s1", courseId: "c1", site: "lto-mantova", version: 3 });
    expect(fact.meetings).toEqual([
      {
        meetingId: "m1",
        room: "lto-mantova-fablab",
        start: new Date("2027-01-04T15:00:00Z"),
        end: new Date("2027-01-04T18:00:00Z"),
        sequence: 2,
        cancelled: false,
      },
    ]);
  });

  it("parks what breaks the contract, naming every problem", () => {
    const bad = () =>
      sessionRescheduledFact(
        received(
          SessionRescheduledEvent.type,
          SessionRescheduledEvent.create({
            sessionId: "",
            site: "lto-mantova",
            meeting: meeting({ endsAt: "2027-01-04T14:00:00Z" }),
            version: 0,
          }),
        ),
      );
    expect(bad).toThrow(ContractViolationError);
    expect(bad).toThrow(/session_id is empty; version is not above 0; meeting ends before it starts/);
  });
});

describe("IdeaAdopted's internship commitments", () => {
  it("keeps the internship places and period, nothing of the other commitments", () => {
    const fact = ideaAdoptedFact(
      received(
        IdeaAdoptedEvent.type,
        IdeaAdoptedEvent.create({
          adoptionId: "a1",
          ideaId: "i1",
          schoolId: "school-1",
          companyId: "company-omv",
          companyName: "OMV S.p.A.",
          occurredAt: "2026-03-01T10:00:00Z",
          commitments: [
            {
              id: "mentoring",
              kind: "COMMITMENT_KIND_MENTORING",
              description: "m",
              promised: 600,
              delivered: 0,
              confirmed: 0,
              periodStart: "",
              periodEnd: "",
            },
            {
              id: "internships",
              kind: "COMMITMENT_KIND_INTERNSHIP",
              description: "2 places",
              promised: 2,
              delivered: 0,
              confirmed: 0,
              periodStart: "2026-06-15",
              periodEnd: "not a date",
            },
          ],
        }),
      ),
    );
    expect(fact.internships).toEqual([
      {
        adoptionId: "a1",
        commitmentId: "internships",
        companyId: "company-omv",
        companyName: "OMV S.p.A.",
        description: "2 places",
        places: 2,
        periodStart: "2026-06-15",
        periodEnd: "",
        recordedAt: new Date("2026-03-01T10:00:00Z"),
      },
    ]);
  });
});
