// The gRPC CatalogueService as other services call it, with the caller's token in metadata.
import { catalogueV1 } from "@lto/contracts";
import { NotFoundError, UnauthenticatedError, ValidationError } from "@lto/errors";
import { checkHealth, createGrpcClient } from "@lto/grpc-kit";
import type { TestService } from "@lto/testkit/service";
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
let client: ReturnType<typeof createGrpcClient<typeof catalogueV1.CatalogueServiceService>>;
const tokens = new Map<string, string>();

async function as(caller: (typeof callers)[keyof typeof callers]) {
  if (!tokens.has(caller.sub)) tokens.set(caller.sub, await svc.auth.token(caller));
  return { token: tokens.get(caller.sub)! };
}

beforeAll(async () => {
  svc = await startCatalogue();
  client = createGrpcClient(catalogueV1.CatalogueServiceClient, svc.grpcAddress, {
    deadlineMs: 5000,
  });
});

afterAll(async () => {
  client?.close();
  await svc?.close();
});

describe("CatalogueService over gRPC", () => {
  it("serves grpc.health.v1", async () => {
    expect(await checkHealth(svc.grpcAddress)).toBe("SERVING");
  });

  it("GetCourse returns a published course and hides a draft like an unknown id", async () => {
    const { course } = await publishedCourseWithSession(svc);
    const { course: view } = await client.getCourse({ courseId: course.id }, await as(callers.learner));
    expect(view).toMatchObject({
      id: course.id,
      state: "COURSE_STATE_PUBLISHED",
      mode: "COURSE_MODE_BLENDED",
      audiences: ["AUDIENCE_YOUNG_PEOPLE"],
      competences: [{ framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 4 }],
    });
    const draft = await ok(
      svc.as(callers.staff),
      "POST",
      "/v1/courses",
      courseBody({ titleIt: "Bozza gRPC" }),
    );
    await expect(client.getCourse({ courseId: draft.id }, await as(callers.learner))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await client.getCourse({ courseId: draft.id }, await as(callers.programme))).course?.state).toBe(
      "COURSE_STATE_DRAFT",
    );
    await expect(client.getCourse({ courseId: "" }, await as(callers.learner))).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("ListSessions pages a course's sessions", async () => {
    const { course } = await publishedCourseWithSession(svc, courseBody({ titleIt: "Due sessioni" }));
    await ok(svc.as(callers.staff), "POST", "/v1/sessions", sessionBody(course.id, {}, 60));
    const first = await client.listSessions(
      catalogueV1.ListSessionsRequest.fromPartial({ courseId: course.id, pageSize: 1 }),
      await as(callers.learner),
    );
    expect(first.sessions).toHaveLength(1);
    expect(first.sessions[0]!.meetings[0]).toMatchObject({ timeZone: "Europe/Rome", minutes: 180 });
    const second = await client.listSessions(
      catalogueV1.ListSessionsRequest.fromPartial({
        courseId: course.id,
        pageSize: 1,
        pageToken: first.nextPageToken,
      }),
      await as(callers.learner),
    );
    expect(second.sessions).toHaveLength(1);
    expect(second.nextPageToken).toBe("");
    expect(second.sessions[0]!.id).not.toBe(first.sessions[0]!.id);
  });

  it("ListCredentials and CheckCredential answer for the person (none issued yet)", async () => {
    const mine = await client.listCredentials({ personId: callers.learner.sub }, await as(callers.learner));
    expect(mine.credentials).toEqual([]);
    const check = await client.checkCredential(
      catalogueV1.CheckCredentialRequest.fromPartial({
        personId: callers.learner.sub,
        framework: "digcomp",
        frameworkVersion: "2.2",
        competence: "3.4",
        minimumLevel: 3,
      }),
      await as(callers.staff),
    );
    expect(check).toMatchObject({ satisfied: false, credentialId: "" });
    await expect(
      client.listCredentials({ personId: "someone-else" }, await as(callers.learner)),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.listCredentials({ personId: callers.learner.sub })).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    await expect(
      client.checkCredential(
        catalogueV1.CheckCredentialRequest.fromPartial({
          personId: callers.learner.sub,
          framework: "digcomp",
          frameworkVersion: "9.9",
          competence: "3.4",
          minimumLevel: 3,
        }),
        await as(callers.staff),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
