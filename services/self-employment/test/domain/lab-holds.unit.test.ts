import { describe, expect, it } from "vitest";
import {
  courseMeetingHolder,
  holdChange,
  labConflictKey,
  resolveConflict,
  roomOfMeeting,
  roomUnitKeys,
  wantedKeys,
  type LabConflict,
} from "../../src/domain/index.js";

const at = (iso: string) => new Date(iso);
const meeting = (overrides: Partial<Parameters<typeof wantedKeys>[1]> = {}) => ({
  meetingId: "m1",
  room: "lto-mantova-fablab",
  start: at("2026-03-10T14:00:00Z"),
  end: at("2026-03-10T15:00:00Z"),
  sequence: 0,
  cancelled: false,
  ...overrides,
});

describe("rooms named by course meetings", () => {
  it("matches a room of the meeting's site by id, ignoring case and spaces", () => {
    expect(roomOfMeeting("lto-mantova", " LTO-Mantova-FabLab ")?.id).toBe("lto-mantova-fablab");
    expect(roomOfMeeting("lto-mantova", "lto-mantova-aula")?.kind).toBe("room");
  });
  it("matches nothing for a name, an online place, another site's room or an unknown site", () => {
    expect(roomOfMeeting("lto-mantova", "Laboratorio 1")).toBeUndefined();
    expect(roomOfMeeting("lto-mantova", "Aula virtuale")).toBeUndefined();
    expect(roomOfMeeting("lto-mantova", "lto-asola-fablab")).toBeUndefined();
    expect(roomOfMeeting("nowhere", "lto-mantova-fablab")).toBeUndefined();
  });
});

describe("the keys a meeting holds", () => {
  it("holds the room's 5-minute units of the meeting, as the ledger keys them", () => {
    const { roomId, keys } = wantedKeys("lto-mantova", meeting());
    expect(roomId).toBe("lto-mantova-fablab");
    expect(keys).toHaveLength(12);
    expect(keys[0]).toBe("room:lto-mantova-fablab@2026-03-10T14:00:00.000Z");
    expect(keys[11]).toBe("room:lto-mantova-fablab@2026-03-10T14:55:00.000Z");
    expect(roomUnitKeys("r", at("2026-03-10T14:02:00Z"), at("2026-03-10T14:06:00Z"))).toEqual([
      "room:r@2026-03-10T14:00:00.000Z",
      "room:r@2026-03-10T14:05:00.000Z",
    ]);
  });
  it("holds nothing when cancelled or in no room of the site", () => {
    expect(wantedKeys("lto-mantova", meeting({ cancelled: true }))).toEqual({
      roomId: "lto-mantova-fablab",
      keys: [],
    });
    expect(wantedKeys("lto-mantova", meeting({ room: "Laboratorio 2" }))).toEqual({ keys: [] });
  });
  it("a move gives back what the new time does not need and takes only what it lacks", () => {
    const before = wantedKeys("lto-mantova", meeting()).keys;
    const after = wantedKeys(
      "lto-mantova",
      meeting({ start: at("2026-03-10T14:30:00Z"), end: at("2026-03-10T15:30:00Z"), sequence: 1 }),
    ).keys;
    const change = holdChange(before, after);
    expect(change.release).toEqual(before.slice(0, 6));
    expect(change.claim).toEqual(after.slice(6));
    expect(holdChange(before, before)).toEqual({ release: [], claim: [] });
    expect(holdChange(before, [])).toEqual({ release: before, claim: [] });
  });
  it("names the holder as the ledger's convention says", () => {
    expect(courseMeetingHolder("s1", "m1")).toBe("course-meeting:s1:m1");
  });
});

describe("lab conflicts", () => {
  const conflict: LabConflict = {
    id: "c1",
    site: "lto-mantova",
    roomId: "lto-mantova-fablab",
    sessionId: "s1",
    courseId: "c",
    meetingId: "m1",
    sequence: 2,
    start: at("2026-03-10T14:00:00Z"),
    end: at("2026-03-10T15:00:00Z"),
    units: [],
    heldBy: ["b1"],
    status: "open",
    detectedAt: at("2026-03-01T10:00:00Z"),
    version: 1,
  };
  it("is one per version of a meeting", () => {
    expect(labConflictKey(conflict)).toBe("s1:m1:2");
  });
  it("resolves with how, who, when and the note", () => {
    const done = resolveConflict(conflict, "lab_freed", "staff-x", at("2026-03-02T10:00:00Z"), "moved");
    expect(done.status).toBe("resolved");
    expect(done.resolution).toEqual({
      how: "lab_freed",
      by: "staff-x",
      at: at("2026-03-02T10:00:00Z"),
      note: "moved",
    });
    expect(
      resolveConflict(conflict, "meeting_moved", "system", at("2026-03-02T10:00:00Z")).resolution,
    ).not.toHaveProperty("note");
  });
});
