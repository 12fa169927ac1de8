// Enrolment end to end through the public HTTP API on the real broker and store: enrol until full, the
// waiting list, a withdrawal offering the seat to the first in line, the offer lapsing (clock moved, the
// sweeper moves it on), prerequisites refused then waived with a reason (or met by a placement), a
// school enrolling its student, a move between sessions, the withdrawal deadline, the events, the role
// matrix of every enrolment endpoint, and bad input refused with nothing stored.
import type { TokenClaims } from "@lto/auth";
import { EnrolmentConfirmedEvent, SeatOfferedEvent, SessionCancelledEvent, topics } from "@lto/contracts";
import { waitFor } from "@lto/testkit";
import { readTopic, type TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  courseBody,
  ok,
  publishedCourseWithSession,
  sessionBody,
  startCatalogue,
} from "./support.js";

let svc: TestService;
let mongo: MongoClient;
const HOUR = 3_600_000;

const learner = (name: string): TokenClaims => ({
  sub: `learner-${name}`,
  role: "learner",
  org: `learner-${name}`,
});
const enrolIn = (sessionId: string, who: TokenClaims, body: unknown = {}) =>
  svc.as(who).post(`/v1/sessions/${sessionId}/enrolments`, body);
const read = async (id: string) => ok(svc.as(callers.staff), "GET", `/v1/enrolments/${id}`);

async function sessionOf(capacity: number, course = courseBody()) {
  const { course: c } = await publishedCourseWithSession(svc, course);
  const session = await ok(svc.as(callers.staff), "POST", "/v1/sessions", sessionBody(c.id, { capacity }));
  return { course: c, session };
}

beforeAll(async () => {
  svc = await startCatalogue({ env: { SEAT_SWEEP_MS: "200", SEAT_OFFER_HOURS: "48" } });
  mongo = await MongoClient.connect(svc.mongoUrl);
});
afterAll(async () => {
  await mongo?.close();
  await svc?.close();
});

describe("enrolment until full, waiting list and seat offers", () => {
  it("confirms until full, then waits in order; a withdrawal offers the seat; a lapsed offer moves on", async () => {
    const { session } = await sessionOf(2);
    const [ana, bea, cai, dan] = ["ana", "bea", "cai", "dan"].map(learner);
    const a = await enrolIn(session.id, ana!);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ status: "confirmed", personId: "learner-ana", audience: "self" });
    expect(a.headers.get("location")).toBe(`/v1/enrolments/${a.body.id}`);
    expect((await enrolIn(session.id, bea!)).status).toBe(201);
    const c = await enrolIn(session.id, cai!);
    expect(c.status).toBe(202);
    expect(c.body).toMatchObject({ status: "waitlisted", position: 1 });
    const d = await enrolIn(session.id, dan!);
    expect(d.body).toMatchObject({ status: "waitlisted", position: 2 });
    // Enrolling again answers the enrolment as it is.
    const again = await enrolIn(session.id, ana!);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(a.body.id);
    expect((await ok(svc.as(), "GET", `/v1/sessions/${session.id}`)).freeSeats).toBe(0);

    // Ana leaves: her seat is offered at once to Cai, first in line, for 48 hours.
    const left = await svc
      .as(ana)
      .post(`/v1/enrolments/${a.body.id}/withdrawal`, { reason: "Orari di lavoro" });
    expect(left.status).toBe(200);
    expect(left.body.status).toBe("withdrawn");
    const offered = await read(c.body.id);
    expect(offered, JSON.stringify(offered)).toMatchObject({ status: "offered", seat: a.body.seat });
    expect(new Date(offered.offerExpiresAt).getTime()).toBe(svc.clock.now().getTime() + 48 * HOUR);
    expect((await read(d.body.id)).position).toBe(1);

    // Cai lets it lapse: the sweeper offers it to Dan.
    svc.clock.advance(49 * HOUR);
    const dan2 = await waitFor("the offer moved on to Dan", async () => {
      const e = await read(d.body.id);
      return e.status === "offered" ? e : undefined;
    });
    expect(dan2.seat).toBe(a.body.seat);
    const cai2 = await read(c.body.id);
    expect(cai2.status).toBe("lapsed");
    expect(cai2.history.map((h: { what: string }) => h.what)).toEqual([
      "waitlisted",
      "offered",
      "offer_lapsed",
    ]);
    const late = await svc.as(cai!).post(`/v1/enrolments/${c.body.id}/accept-offer`);
    expect(late.status).toBe(409);
    const accepted = await svc.as(dan!).post(`/v1/enrolments/${d.body.id}/accept-offer`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: "confirmed", seat: a.body.seat });

    const list = await ok(svc.as(callers.programme), "GET", `/v1/sessions/${session.id}/enrolments`);
    expect(list).toMatchObject({ capacity: 2, seatsTaken: 2 });
    expect(await mongo.db(svc.dbName).collection("seats").countDocuments({ group: session.id })).toBe(2);

    const type = (r: { headers: Record<string, string | undefined> }) => r.headers.ce_type;
    const records = await readTopic(topics.catalogue, (rs) =>
      ["EnrolmentConfirmed", "EnrolmentWaitlisted", "SeatOffered", "EnrolmentWithdrawn"].every((t) =>
        rs.some((r) => r.key === session.id && type(r) === `lto.catalogue.v1.${t}`),
      ),
    );
    const confirmed = records
      .filter((r) => r.key === session.id && type(r) === "lto.catalogue.v1.EnrolmentConfirmed")
      .map((r) => EnrolmentConfirmedEvent.decode(r.value));
    expect(confirmed.find((m) => m.enrolmentId === a.body.id)).toMatchObject({
      sessionId: session.id,
      site: "lto-mantova",
      personId: "learner-ana",
      economicAreas: ["ECONOMIC_AREA_CULTURA"],
      competences: [{ framework: "digcomp", competence: "3.4", level: 4 }],
      hours: 9,
    });
    const offers = records
      .filter((r) => r.key === session.id && type(r) === "lto.catalogue.v1.SeatOffered")
      .map((r) => SeatOfferedEvent.decode(r.value).personId);
    expect(offers).toContain("learner-cai");
  });

  it("refuses a decline of nothing offered, lets a declined seat go to the next, and names everyone when the session is cancelled", async () => {
    const { session } = await sessionOf(1);
    const [eva, fra, gio] = ["eva", "fra", "gio"].map(learner);
    const e = await enrolIn(session.id, eva!);
    const f = await enrolIn(session.id, fra!);
    const g = await enrolIn(session.id, gio!);
    expect((await svc.as(fra!).post(`/v1/enrolments/${f.body.id}/decline-offer`)).status).toBe(409);
    await ok(svc.as(eva!), "POST", `/v1/enrolments/${e.body.id}/withdrawal`, {});
    expect((await read(f.body.id)).status).toBe("offered");
    const declined = await svc.as(fra!).post(`/v1/enrolments/${f.body.id}/decline-offer`);
    expect(declined.body.status).toBe("declined");
    expect((await read(g.body.id)).status).toBe("offered");
    // Cancelling the session names who held a seat (or an offer) and who waited.
    await enrolIn(session.id, learner("ugo"));
    await ok(svc.as(callers.staff), "POST", `/v1/sessions/${session.id}/cancel`, {
      reason: "Aula inagibile",
    });
    const records = await readTopic(topics.catalogue, (rs) =>
      rs.some((r) => r.key === session.id && r.headers.ce_type === "lto.catalogue.v1.SessionCancelled"),
    );
    const cancelled = records.find(
      (r) => r.key === session.id && r.headers.ce_type === "lto.catalogue.v1.SessionCancelled",
    )!;
    expect(SessionCancelledEvent.decode(cancelled.value)).toMatchObject({
      enrolledPersonIds: ["learner-gio"],
      waitingPersonIds: ["learner-ugo"],
    });
  });
});

describe("the sweeper", () => {
  it("gives back a seat whose enrolment was never written (a crash in between) and offers it on", async () => {
    const { session } = await sessionOf(2);
    // What a crash between the seat insert and the enrolment write leaves behind.
    await mongo
      .db(svc.dbName)
      .collection("seats")
      .insertOne({
        _id: `${session.id}#1` as never,
        group: session.id,
        number: 1,
        holderId: "never-written",
        claim: "crashed-claim",
        claimedAt: svc.clock.now(),
        settled: false,
      });
    const pia = await enrolIn(session.id, learner("pia"));
    expect(pia.body).toMatchObject({ status: "confirmed", seat: 2 });
    const quinto = await enrolIn(session.id, learner("quinto"));
    expect(quinto.status).toBe(202);
    // Within the grace period the claim is left alone: the request might still be running.
    expect((await read(quinto.body.id)).status).toBe("waitlisted");
    svc.clock.advance(2 * 60_000);
    const offered = await waitFor("the orphan seat offered to the first in line", async () => {
      const e = await read(quinto.body.id);
      return e.status === "offered" ? e : undefined;
    });
    expect(offered.seat).toBe(1);
    // The offer is written first, then its seat is marked settled: wait for the second step too.
    const seat = await waitFor("the offered seat settled", async () => {
      const found = await mongo
        .db(svc.dbName)
        .collection("seats")
        .findOne({ _id: `${session.id}#1` as never });
      return found?.settled ? found : undefined;
    });
    expect(seat).toMatchObject({ holderId: quinto.body.id, settled: true });
  });
});

describe("prerequisites, schools, moves and deadlines", () => {
  const need = { framework: "digcomp", version: "2.2", competence: "1.1", level: 3 };

  it("refuses missing prerequisites naming them; staff waive them with a reason; a placement meets them", async () => {
    const { session } = await sessionOf(5, courseBody({ titleIt: "Python avanzato", prerequisites: [need] }));
    const refused = await enrolIn(session.id, learner("hal"));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/1\.1 at level 3/);
    expect(refused.body.reason).toBe("prerequisites_missing");
    // The learner may not waive it themself.
    expect((await enrolIn(session.id, learner("hal"), { overrideReason: "Lo so fare" })).status).toBe(403);
    const waived = await enrolIn(session.id, callers.staff, {
      personId: "learner-hal",
      overrideReason: "Colloquio con il formatore",
    });
    expect(waived.status).toBe(201);
    expect(waived.body.override).toMatchObject({ by: "staff-mantova", reason: "Colloquio con il formatore" });
    expect(waived.body.history[0]).toMatchObject({ what: "prerequisites_overridden" });
    expect(waived.body).toMatchObject({ audience: "on_behalf", enrolledBy: "staff-mantova" });
    // A placement self-assessment at the level is enough (the self-check writes these).
    await mongo
      .db(svc.dbName)
      .collection("placements")
      .insertOne({
        _id: "p-ivo" as never,
        personId: "learner-ivo",
        framework: "digcomp",
        frameworkVersion: "2.2",
        competence: "1.1",
        level: 3,
        at: new Date(),
        version: 1,
      });
    expect((await enrolIn(session.id, learner("ivo"))).status).toBe(201);
  });

  it("lets a school enrol its student by pseudonym with the parents' consent, and a teacher themself", async () => {
    const { session } = await sessionOf(5, courseBody({ audiences: ["students", "teachers"] }));
    const noConsent = await enrolIn(session.id, callers.school, {
      student: { pseudonym: "studente-7", minor: true },
    });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.errors.map((e: { path: string }) => e.path)).toContain("student.parentalConsentOn");
    const ok1 = await enrolIn(session.id, callers.school, {
      student: { pseudonym: "studente-7", minor: true, parentalConsentOn: "2026-09-01" },
    });
    expect(ok1.status).toBe(201);
    expect(ok1.body).toMatchObject({
      personId: "school-fermi-mantova/studente-7",
      audience: "student",
      school: { id: "school-fermi-mantova", pseudonym: "studente-7" },
    });
    const teacher = await enrolIn(session.id, callers.school);
    expect(teacher.body).toMatchObject({ personId: "referent-fermi", audience: "self", status: "confirmed" });
    // The school reads its student's enrolment; another learner cannot see it.
    expect((await svc.as(callers.school).get(`/v1/enrolments/${ok1.body.id}`)).status).toBe(200);
    expect((await svc.as(learner("zed")).get(`/v1/enrolments/${ok1.body.id}`)).status).toBe(404);
  });

  it("enrols only the people a course is for, naming its audiences; staff enrol anyone", async () => {
    const forTeachers = await sessionOf(5, courseBody({ audiences: ["teachers"] }));
    const student = await enrolIn(forTeachers.session.id, callers.school, {
      student: { pseudonym: "studente-8", minor: false },
    });
    expect(student.status).toBe(409);
    expect(student.body).toMatchObject({ reason: "not_for_audience", audiences: ["teachers"] });
    expect(student.body.detail).toMatch(/for teachers.*students in courses for students/);
    expect((await enrolIn(forTeachers.session.id, callers.school)).status).toBe(201); // the teacher
    expect((await enrolIn(forTeachers.session.id, learner("trainer"))).status).toBe(201);

    const forStudents = await sessionOf(5, courseBody({ audiences: ["students"] }));
    const adult = await enrolIn(forStudents.session.id, learner("adult"));
    expect(adult.status).toBe(409);
    expect(adult.body.detail).toMatch(/booked by the school/);
    expect((await enrolIn(forStudents.session.id, callers.school)).status).toBe(409); // a teacher
    const byStaff = await enrolIn(forStudents.session.id, callers.staff, { personId: "learner-adult" });
    expect(byStaff.status).toBe(201);
    const stored = await mongo
      .db(svc.dbName)
      .collection("enrolments")
      .find({ sessionId: { $in: [forTeachers.session.id, forStudents.session.id] } })
      .toArray();
    expect(stored.map((e) => e.personId).sort()).toEqual([
      "learner-adult",
      "learner-trainer",
      "referent-fermi",
    ]);
  });

  it("moves a learner to another session of the course in one operation, a retry changing nothing", async () => {
    const { course, session } = await sessionOf(1);
    const target = await ok(
      svc.as(callers.staff),
      "POST",
      "/v1/sessions",
      sessionBody(course.id, { capacity: 1 }, 45),
    );
    const leo = learner("leo");
    const mia = learner("mia");
    const e = await enrolIn(session.id, leo);
    const waiting = await enrolIn(session.id, mia);
    expect(waiting.body.status).toBe("waitlisted");
    const moved = await svc.as(leo).post(`/v1/enrolments/${e.body.id}/move`, { targetSessionId: target.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ sessionId: target.id, status: "confirmed", movedFrom: session.id });
    expect((await read(e.body.id)).status).toBe("moved");
    // The freed source seat went to the first in line.
    expect((await read(waiting.body.id)).status).toBe("offered");
    const retry = await svc.as(leo).post(`/v1/enrolments/${e.body.id}/move`, { targetSessionId: target.id });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(moved.body.id);
    const seats = mongo.db(svc.dbName).collection("seats");
    expect(await seats.countDocuments({ group: target.id })).toBe(1);
    expect(await seats.countDocuments({ group: session.id })).toBe(1);
    // Only to another session of the same course.
    const other = await sessionOf(1);
    const refused = await svc
      .as(leo)
      .post(`/v1/enrolments/${moved.body.id}/move`, { targetSessionId: other.session.id });
    expect(refused.status).toBe(400);
  });

  it("refuses a withdrawal after the deadline, naming it", async () => {
    const { session } = await sessionOf(3);
    const e = await enrolIn(session.id, learner("ola"));
    const first = new Date(session.meetings[0].startsAt).getTime();
    svc.clock.set(new Date(first - 2 * HOUR));
    try {
      const late = await svc.as(learner("ola")).post(`/v1/enrolments/${e.body.id}/withdrawal`, {});
      expect(late.status).toBe(409);
      expect(late.body.detail).toContain(new Date(first - 24 * HOUR).toISOString());
      expect((await read(e.body.id)).status).toBe("confirmed");
    } finally {
      svc.clock.set(new Date());
    }
  });
});
