import { describe, expect, it } from "vitest";
import {
  activateAccount,
  ageOn,
  checkEmail,
  checkPassword,
  disableAccount,
  enableAccount,
  inviteAccount,
  normaliseEmail,
  searchKeys,
  searchPrefix,
  usableInvitation,
  type Invitation,
} from "../../src/domain/index.js";

const at = new Date("2026-03-01T10:00:00Z");
const invited = () =>
  inviteAccount(
    {
      subject: "s1",
      role: "school",
      organisationId: "school-x",
      email: " Mario.Rossi@Scuola.IT ",
      displayName: " Mario ",
    },
    at,
  );

describe("accounts", () => {
  it("keeps e-mails lower-cased and trimmed, and refuses what is not one", () => {
    expect(normaliseEmail(" A@B.It ")).toBe("a@b.it");
    expect(invited()).toMatchObject({
      email: "mario.rossi@scuola.it",
      displayName: "Mario",
      status: "invited",
      locale: "it",
    });
    expect(() => checkEmail("not-an-email")).toThrow(/not valid/);
  });

  it("asks for 12 to 256 characters of password", () => {
    expect(() => checkPassword("short")).toThrow(/12 to 256/);
    expect(() => checkPassword("x".repeat(257))).toThrow(/12 to 256/);
    expect(() => checkPassword("twelve chars")).not.toThrow();
  });

  it("activates with the hash and says so; a disabled account is not activated again", () => {
    const { account, events } = activateAccount(invited(), "hash", "s1", at);
    expect(account).toMatchObject({ status: "active", passwordHash: "hash", activatedAt: at });
    expect(events).toEqual([{ type: "AccountActivated", account, by: "s1", at }]);
    const disabled = disableAccount(account, "gone", "admin", at);
    expect(disabled.account.status).toBe("disabled");
    expect(disabled.events[0]).toMatchObject({ type: "AccountDisabled", reason: "gone", by: "admin" });
    expect(disableAccount(disabled.account, "again", "admin", at).events).toEqual([]);
    expect(() => activateAccount(disabled.account, "h", "s1", at)).toThrow(/disabled/);
  });

  it("enables a disabled account: active again with its password, invited again without; else nothing", () => {
    const active = activateAccount(invited(), "hash", "s1", at).account;
    const disabled = disableAccount(active, "gone", "admin", at).account;
    const later = new Date(at.getTime() + 60_000);
    const { account, events } = enableAccount(disabled, "admin", later);
    expect(account).toMatchObject({ status: "active", passwordHash: "hash", activatedAt: at });
    expect(account.disabledAt).toBeUndefined();
    expect(account.disabledReason).toBeUndefined();
    expect(events).toEqual([{ type: "AccountActivated", account, by: "admin", at: later }]);
    expect(enableAccount(account, "admin", later)).toEqual({ account, events: [] });

    const neverSignedIn = disableAccount(invited(), "wrong person", "admin", at).account;
    const back = enableAccount(neverSignedIn, "admin", later);
    expect(back.account.status).toBe("invited");
    expect(back.events).toEqual([]);
    expect(enableAccount(invited(), "admin", later).events).toEqual([]);
  });

  it("searches the start of the e-mail, the whole name and each word, in any case", () => {
    expect(searchKeys({ email: "m.rossi@scuola.it", displayName: "Prof.ssa  Maria Rossi" })).toEqual([
      "m.rossi@scuola.it",
      "prof.ssa  maria rossi",
      "prof.ssa",
      "maria",
      "rossi",
    ]);
    expect(searchPrefix("  ROSSI ")).toBe("rossi");
  });

  it("counts whole years of age, a birthday counting from its day", () => {
    expect(ageOn("2008-03-01", "2026-03-01")).toBe(18);
    expect(ageOn("2008-03-02", "2026-03-01")).toBe(17);
    expect(ageOn("2008-02-29", "2026-02-28")).toBe(17);
    expect(ageOn("1990-12-31", "2026-01-01")).toBe(35);
  });
});

describe("invitations", () => {
  const invitation: Invitation = {
    id: "i1",
    version: 1,
    tokenHash: "h",
    subject: "s1",
    invitedBy: "staff",
    createdAt: at,
    expiresAt: new Date(at.getTime() + 1000),
  };

  it("is usable once, until it expires", () => {
    expect(usableInvitation(invitation, at)).toBe(invitation);
    expect(() => usableInvitation(undefined, at)).toThrow(/not found/);
    expect(() => usableInvitation({ ...invitation, acceptedAt: at }, at)).toThrow(/already used/);
    expect(() => usableInvitation(invitation, new Date(at.getTime() + 1000))).toThrow(/expired/);
  });
});
