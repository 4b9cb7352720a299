// The data the compatibility tests write through aihistory's write API (deterministic).
//
// bulkHistory(): 2,500 interactions of one user across the eight first-party Copilot appClasses,
//   newest-first order exercised at page boundaries: groups of four items share one createdDateTime
//   (ties are ordered by id) and straddle $top=100 page boundaries; createdDateTime is written with
//   0, 3 or 7 fractional digits; 100 items carry no id (the server assigns one).
// richInteractions(): hand-made interactions that use every nested type of aiInteraction: html and
//   text bodies, adaptive-card and file attachments, contexts, links, mentions of a user, an
//   application, a device, a channel, a chat, a team and a tag, identities of every user,
//   application and conversation identity type, mentionId 0 and 2^31-1, a createdDateTime with a
//   +02:00 offset and 7 fractional digits, an item with nothing optional at all.
export const FIRST_PARTY = [
  "IPM.SkypeTeams.Message.Copilot.Teams", "IPM.SkypeTeams.Message.Copilot.Word",
  "IPM.SkypeTeams.Message.Copilot.Excel", "IPM.SkypeTeams.Message.Copilot.PowerPoint",
  "IPM.SkypeTeams.Message.Copilot.Outlook", "IPM.SkypeTeams.Message.Copilot.Loop",
  "IPM.SkypeTeams.Message.Copilot.BizChat", "IPM.SkypeTeams.Message.Copilot.WebChat",
];
export const BIZCHAT = "IPM.SkypeTeams.Message.Copilot.BizChat";

// A small deterministic PRNG (mulberry32).
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function guid(rand) {
  const hex = () => Math.floor(rand() * 16).toString(16);
  const s = Array.from({ length: 32 }, hex).join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

// An ISO 8601 UTC instant with `digits` fractional digits (0, 3 or 7); `sub` holds the 4 digits
// below the millisecond.
function iso(ms, digits, sub) {
  const base = new Date(ms).toISOString(); // ....sssZ
  if (digits === 0) return base.slice(0, 19) + "Z";
  if (digits === 3) return base;
  return base.slice(0, 23) + String(sub).padStart(4, "0") + "Z";
}

// 100-nanosecond ticks since the epoch of an ISO 8601 instant with an offset, as a BigInt: exact
// for every fractional precision the contract allows (up to 7 digits).
export function ticks(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) throw new Error(`not an ISO 8601 instant with an offset: ${text}`);
  const [, y, mo, d, h, mi, s, frac = "", zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (zone !== "Z") {
    const sign = zone[0] === "+" ? 1 : -1;
    ms -= sign * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6)) * 60_000;
  }
  return BigInt(ms) * 10_000n + BigInt(frac.padEnd(7, "0"));
}

// The JavaScript Date an ISO instant denotes (milliseconds, truncated as JavaScript does).
export function instantMs(text) {
  const t = ticks(text);
  return Number((t - (((t % 10_000n) + 10_000n) % 10_000n)) / 10_000n);
}

const LOCALES = ["en-us", "de-de", "fr-fr", "ja-jp", "pt-br"];

export function bulkHistory(userId, tenantId, count = 2500) {
  const rand = prng(2500);
  const items = [];
  let ms = Date.UTC(2026, 2, 1, 8, 0, 0);
  let created = null;
  let session = null;
  let request = null;
  for (let i = 0; i < count; i++) {
    const tieFollower = [99, 0, 1].includes(i % 100) && i > 0; // items 98..101, 198..201, ... share a time
    if (!tieFollower) {
      ms += 61_000 + Math.floor(rand() * 5_000);
      const digits = [0, 3, 7][i % 3];
      created = iso(ms, digits, Math.floor(rand() * 10_000));
    }
    if (i % 10 === 0) session = guid(rand);
    const prompt = i % 2 === 0;
    if (prompt) request = guid(rand);
    const appClass = FIRST_PARTY[Math.floor(rand() * FIRST_PARTY.length)];
    const item = {
      "@aihistory.userId": userId,
      sessionId: session,
      requestId: request,
      appClass,
      interactionType: prompt ? "userPrompt" : "aiResponse",
      conversationType: appClass === BIZCHAT ? "bizchat" : "appchat",
      createdDateTime: created,
      locale: LOCALES[i % LOCALES.length],
      body: i % 4 < 2
        ? { contentType: "text", content: `Bulk item ${i}: summarise section ${i % 37} of the plan` }
        : { contentType: "html", content: `<p>Bulk item <b>${i}</b> &amp; notes</p>` },
      from: prompt
        ? { user: { id: userId, displayName: "Bulk History", userIdentityType: "aadUser", tenantId } }
        : { application: { id: "fb8d773d-7ef8-4ec0-a117-179f88add510", displayName: "Microsoft 365 Chat",
                           applicationIdentityType: "aadApplication" } },
      attachments: [],
      contexts: [],
      links: [],
      mentions: [],
    };
    if (i % 25 !== 7) item.id = tieFollower ? `${ms}-${i}` : String(ms); // 100 items get a server id
    if (i % 7 === 3) {
      item.links.push({ linkUrl: `https://contoso.sharepoint.com/sites/plan/doc${i}.docx`, linkType: "file",
                        displayName: `doc${i}.docx` });
      item.contexts.push({ contextReference: `https://contoso.sharepoint.com/sites/plan/doc${i}.docx`,
                           contextType: "document", displayName: `doc${i}.docx` });
    }
    if (i % 11 === 5) {
      item.mentions.push({ mentionId: i % 3, mentionText: "Adele", mentioned: {
        user: { id: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", displayName: "Adele Vance", userIdentityType: "aadUser",
                tenantId } } });
    }
    items.push(item);
  }
  return items;
}

const ADAPTIVE_CARD = JSON.stringify({
  type: "AdaptiveCard",
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
  version: "1.5",
  body: [
    { type: "TextBlock", text: "Quarterly summary — \"Q3\" {draft}", wrap: true, weight: "Bolder" },
    { type: "FactSet", facts: [{ title: "Revenue", value: "€1.2M ↑ 12%" }, { title: "Owner", value: "Adele <adele@contoso.example>" }] },
  ],
  actions: [{ type: "Action.OpenUrl", title: "Open", url: "https://contoso.sharepoint.com/sites/fin/q3.xlsx?web=1&a=b" }],
}, null, 1);

// Hand-made interactions for `userId`, written in the order given (oldest first).
export function richInteractions(userId, tenantId) {
  const session = "19:copilot-rich-shapes@thread.v2";
  return [
    {
      "@aihistory.userId": userId,
      id: "1772355600000",
      sessionId: session,
      requestId: "rq-rich-1",
      appClass: "IPM.SkypeTeams.Message.Copilot.Teams",
      interactionType: "userPrompt",
      conversationType: "appchat",
      createdDateTime: "2026-03-01T09:00:00.1234567Z",
      locale: "en-us",
      body: { contentType: "html",
              content: "<div><at id=\"0\">Adele</at>, <at id=\"1\">General</at> and <at id=\"2\">Finance team</at>: summarise <a href=\"https://contoso.sharepoint.com/sites/fin/q3.xlsx\">Q3</a> &amp; the \"{risks}\" 🚀</div>" },
      from: { user: { id: userId, displayName: "Rich Shapes", userIdentityType: "aadUser", tenantId } },
      attachments: [
        { attachmentId: "card-1", contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null,
          content: ADAPTIVE_CARD, name: null },
        { attachmentId: "file-1", contentType: "reference",
          contentUrl: "https://contoso.sharepoint.com/sites/fin/Shared%20Documents/q3.xlsx", content: null,
          name: "q3.xlsx" },
      ],
      contexts: [
        { contextReference: "https://contoso.sharepoint.com/sites/fin/Shared%20Documents/q3.xlsx",
          contextType: "document", displayName: "q3.xlsx" },
        { contextReference: "19:general@thread.tacv2", contextType: "channel", displayName: "General" },
      ],
      links: [
        { linkUrl: "https://contoso.sharepoint.com/sites/fin/q3.xlsx", linkType: "file", displayName: "Q3" },
      ],
      mentions: [
        { mentionId: 0, mentionText: "Adele", mentioned: {
          user: { id: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", displayName: "Adele Vance", userIdentityType: "aadUser", tenantId } } },
        { mentionId: 1, mentionText: "General", mentioned: {
          conversation: { id: "19:general@thread.tacv2", displayName: "General", conversationIdentityType: "channel" } } },
        { mentionId: 2, mentionText: "Finance team", mentioned: {
          tag: { id: "MCMjMiMjZmluYW5jZQ==", displayName: "Finance team" } } },
      ],
    },
    {
      "@aihistory.userId": userId,
      id: "1772355605000",
      sessionId: session,
      requestId: "rq-rich-1",
      appClass: "IPM.SkypeTeams.Message.Copilot.Teams",
      interactionType: "aiResponse",
      conversationType: "appchat",
      createdDateTime: "2026-03-01T09:00:05.120Z",
      locale: "en-us",
      body: { contentType: "html", content: "<p>Q3 revenue rose 12% &lt;est.&gt;. See <b>q3.xlsx</b>.</p>\n<ul><li>Risk: FX</li></ul>" },
      from: {
        application: { id: "fb8d773d-7ef8-4ec0-a117-179f88add510", displayName: "Copilot in Teams", applicationIdentityType: "bot" },
        device: { id: "device-7f3a", displayName: "ADELE-LAPTOP" },
        user: null,
      },
      attachments: [
        { attachmentId: "card-2", contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null,
          content: "{\"type\":\"AdaptiveCard\",\"version\":\"1.4\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"Done\\n✓\"}]}",
          name: "Summary card" },
      ],
      contexts: [],
      links: [
        { linkUrl: "https://contoso.sharepoint.com/sites/fin/q3.xlsx?web=1&x=%7B1%7D", linkType: "file", displayName: "q3.xlsx" },
        { linkUrl: "https://learn.microsoft.com/graph/", linkType: "web", displayName: null },
      ],
      mentions: [
        { mentionId: 2147483647, mentionText: "Planner bot", mentioned: {
          application: { id: "0b6c3a1e-8f8a-4f59-9a7e-6c7b3c2d1e0f", displayName: "Planner", applicationIdentityType: "tenantBot" },
          device: { id: "room-42", displayName: "Board room display" } } },
        { mentionId: 3, mentionText: "Project chat", mentioned: {
          conversation: { id: "19:meeting_abc@thread.v2", displayName: "Project chat", conversationIdentityType: "chat" } } },
        { mentionId: 4, mentionText: "Contoso", mentioned: {
          conversation: { id: "team-contoso", displayName: "Contoso", conversationIdentityType: "team" } } },
      ],
    },
    {
      // A prompt written with a +02:00 offset and 7 fractional digits: exported as the same instant in UTC.
      "@aihistory.userId": userId,
      id: "rich-offset",
      sessionId: "bizchat-rich-2",
      requestId: "rq-rich-2",
      appClass: "IPM.SkypeTeams.Message.Copilot.BizChat",
      interactionType: "userPrompt",
      conversationType: "bizchat",
      createdDateTime: "2026-03-01T12:30:00.9876543+02:00",
      locale: "de-de",
      body: { contentType: "text", content: "Fasse die E-Mails von gestern zusammen: „Budget“ & 'Plan' \\ {x}" },
      from: { user: { id: userId, displayName: "Rich Shapes", userIdentityType: "onPremiseAadUser", tenantId } },
      attachments: [],
      contexts: [{ contextReference: "AAMkAGI2TG93AAA=", contextType: "email", displayName: "Budget" }],
      links: [],
      mentions: [],
    },
    {
      // Every other user and application identity type, in mentions.
      "@aihistory.userId": userId,
      id: "rich-identities",
      sessionId: "bizchat-rich-2",
      requestId: "rq-rich-2",
      appClass: "IPM.SkypeTeams.Message.Copilot.BizChat",
      interactionType: "aiResponse",
      conversationType: "bizchat",
      createdDateTime: "2026-03-01T10:30:01Z",
      locale: "de-de",
      body: { contentType: "text", content: "Zusammenfassung folgt." },
      from: { application: { id: "app-webhook", displayName: "Alerts", applicationIdentityType: "outgoingWebhook" } },
      attachments: [],
      contexts: [],
      links: [],
      mentions: [
        ...["anonymousGuest", "federatedUser", "skypeUser", "phoneUser", "unknownFutureValue", "emailUser", "aadUser"].map(
          (type, k) => ({ mentionId: 10 + k, mentionText: type, mentioned: {
            user: { id: `user-${type}`, displayName: `A ${type}`, userIdentityType: type, tenantId } } })),
        ...["aadApplication", "office365Connector", "unknownFutureValue"].map((type, k) => ({
          mentionId: 20 + k, mentionText: type, mentioned: {
            application: { id: `app-${type}`, displayName: `An ${type}`, applicationIdentityType: type } } })),
        { mentionId: 30, mentionText: "future conversation", mentioned: {
          conversation: { id: "conv-future", displayName: "Future", conversationIdentityType: "unknownFutureValue" } } },
      ],
    },
    {
      // Nothing optional: only the three required properties.
      "@aihistory.userId": userId,
      id: "rich-minimal",
      appClass: "IPM.SkypeTeams.Message.Copilot.Word",
      interactionType: "unknownFutureValue",
      createdDateTime: "2026-03-01T11:00:00Z",
    },
    {
      // Explicit nulls and empty strings.
      "@aihistory.userId": userId,
      id: "rich-nulls",
      sessionId: null,
      requestId: null,
      appClass: "IPM.SkypeTeams.Message.Copilot.Outlook",
      interactionType: "aiResponse",
      conversationType: null,
      createdDateTime: "2026-03-01T11:00:00.5Z",
      locale: null,
      body: { contentType: "text", content: "" },
      from: { user: { id: userId, displayName: null, userIdentityType: "aadUser", tenantId: null } },
      attachments: [{ attachmentId: null, contentType: null, contentUrl: null, content: null, name: null }],
      contexts: [{ contextReference: null, contextType: null, displayName: null }],
      links: [{ linkUrl: null, linkType: null, displayName: null }],
      mentions: [{ mentionId: 0, mentionText: null, mentioned: null }],
    },
  ];
}
