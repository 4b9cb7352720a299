// Field-by-field comparison of an interaction as the raw JSON holds it and as a Kiota Graph SDK
// deserialised it into its own aiInteraction model.
//
// The schema below is Graph's (the contract, section 5, and the SDKs' metadata): for every type, the
// properties the SDK models declare. A property the schema declares must come through typed (on the
// model, not in additionalData) with the same value: strings and enum members identical, numbers
// identical, dates the same instant, nested objects recursively. A property the schema does not
// declare (tenantId of a user identity, "@aihistory.userId" on tenant-wide items) must be kept in
// additionalData with the same JSON value. Identity types are fixed by position, as the contract
// fixes them: from.user is a teamworkUserIdentity, mentioned.conversation a
// teamworkConversationIdentity, ..., so a missing or wrong "@odata.type" makes the SDK fall back to
// the base identity, and the subtype's property lands in additionalData: a failure.
import assert from "node:assert/strict";
import { instantMs, ticks } from "./data.mjs";

const STR = { kind: "string" };
const NUM = { kind: "number" };
const DATE = { kind: "date" };
const ENUM = { kind: "enum" };
const obj = (type) => ({ kind: "object", type });
const arr = (type) => ({ kind: "array", type });

const identity = { id: STR, displayName: STR, "@odata.type": STR };
const identitySet = (user, application, device) => ({
  application: obj(application), device: obj(device), user: obj(user), "@odata.type": STR,
});

const TYPES = {
  identity,
  teamworkUserIdentity: { ...identity, userIdentityType: ENUM },
  teamworkApplicationIdentity: { ...identity, applicationIdentityType: ENUM },
  teamworkConversationIdentity: { ...identity, conversationIdentityType: ENUM },
  teamworkTagIdentity: { ...identity },
  chatMessageFromIdentitySet: identitySet("teamworkUserIdentity", "teamworkApplicationIdentity", "identity"),
  aiInteractionMentionedIdentitySet: {
    ...identitySet("teamworkUserIdentity", "teamworkApplicationIdentity", "identity"),
    conversation: obj("teamworkConversationIdentity"),
    tag: obj("teamworkTagIdentity"),
  },
  itemBody: { content: STR, contentType: ENUM, "@odata.type": STR },
  chatMessageBody: { content: STR, contentType: ENUM, messageBodyContentType: ENUM, "@odata.type": STR },
  aiInteractionAttachment: { attachmentId: STR, content: STR, contentType: STR, contentUrl: STR, name: STR, "@odata.type": STR },
  aiInteractionContext: { contextReference: STR, contextType: STR, displayName: STR, "@odata.type": STR },
  aiInteractionLink: { displayName: STR, linkType: STR, linkUrl: STR, "@odata.type": STR },
  aiInteractionMention: { mentioned: obj("aiInteractionMentionedIdentitySet"), mentionId: NUM, mentionText: STR, "@odata.type": STR },
};
const aiInteraction = (bodyType) => ({
  id: STR, "@odata.type": STR, appClass: STR, attachments: arr("aiInteractionAttachment"), body: obj(bodyType),
  contexts: arr("aiInteractionContext"), conversationType: STR, createdDateTime: DATE, etag: STR,
  from: obj("chatMessageFromIdentitySet"), interactionType: ENUM, links: arr("aiInteractionLink"), locale: STR,
  mentions: arr("aiInteractionMention"), requestId: STR, sessionId: STR,
});
TYPES["aiInteraction/v1.0"] = aiInteraction("itemBody");
TYPES["aiInteraction/beta"] = aiInteraction("chatMessageBody");

// The "@odata.type" Graph writes on the identities the contract types (section 5).
const ODATA_TYPE = {
  teamworkUserIdentity: "#microsoft.graph.teamworkUserIdentity",
  teamworkApplicationIdentity: "#microsoft.graph.teamworkApplicationIdentity",
  teamworkConversationIdentity: "#microsoft.graph.teamworkConversationIdentity",
  teamworkTagIdentity: "#microsoft.graph.teamworkTagIdentity",
  chatMessageFromIdentitySet: "#microsoft.graph.chatMessageFromIdentitySet",
  aiInteractionMentionedIdentitySet: "#microsoft.graph.aiInteractionMentionedIdentitySet",
};

const jsName = (wire) => (wire === "@odata.type" ? "odataType" : wire);

// What a comparison saw: "type.property" pairs that carried a non-null value through typed, and
// those kept in additionalData. Tests use it to show the data exercised every nested type.
export class Coverage {
  constructor() {
    this.typed = new Set();
    this.additional = new Set();
  }
}

// Kiota turns a JSON null for a nested object into an empty model; for a scalar, into undefined.
function isEmptyModel(v) {
  if (v === undefined || v === null) return true;
  if (typeof v !== "object") return false;
  return Object.entries(v).every(([k, x]) => x === undefined || x === null || k === "backingStoreEnabled" ||
    (k === "additionalData" && Object.keys(x).length === 0));
}

function compareValue(raw, parsed, desc, path, coverage) {
  if (raw === null) {
    assert.ok(isEmptyModel(parsed), `${path}: JSON null became ${JSON.stringify(parsed)}`);
    return false;
  }
  switch (desc.kind) {
    case "string":
    case "enum":
      assert.equal(typeof raw, "string", `${path}: the raw JSON holds a ${typeof raw}, not a string`);
      assert.equal(parsed, raw, `${path}: ${JSON.stringify(raw)} became ${JSON.stringify(parsed)}` +
        (desc.kind === "enum" ? " (enum member lost)" : ""));
      return true;
    case "number":
      assert.equal(typeof raw, "number", `${path}: the raw JSON holds a ${typeof raw}, not a number`);
      assert.equal(parsed, raw, `${path}: ${raw} became ${JSON.stringify(parsed)}`);
      return true;
    case "date":
      assert.equal(typeof raw, "string", `${path}: not a string`);
      assert.match(raw, /Z$/, `${path}: ${raw} is not UTC with a Z`);
      assert.ok(parsed instanceof Date, `${path}: parsed to ${Object.prototype.toString.call(parsed)}, not a Date`);
      assert.equal(parsed.getTime(), instantMs(raw), `${path}: ${raw} parsed to ${parsed.toISOString()}`);
      return true;
    case "object":
      assert.equal(typeof raw, "object", `${path}: the raw JSON holds a ${typeof raw}, not an object`);
      compareObject(raw, parsed, desc.type, path, coverage);
      return true;
    case "array":
      assert.ok(Array.isArray(raw), `${path}: the raw JSON holds no array`);
      assert.ok(Array.isArray(parsed), `${path}: the model holds ${JSON.stringify(parsed)}, not an array`);
      assert.equal(parsed.length, raw.length, `${path}: ${raw.length} elements became ${parsed.length}`);
      raw.forEach((r, i) => compareObject(r, parsed[i], desc.type, `${path}[${i}]`, coverage));
      return raw.length > 0;
    default:
      throw new Error(`unknown kind ${desc.kind}`);
  }
}

function compareObject(raw, parsed, typeName, path, coverage) {
  const props = TYPES[typeName];
  assert.ok(props, `no schema for ${typeName}`);
  assert.ok(raw && typeof raw === "object" && !Array.isArray(raw), `${path}: not an object in the raw JSON`);
  assert.ok(parsed && typeof parsed === "object", `${path}: the model holds ${JSON.stringify(parsed)}`);
  if (ODATA_TYPE[typeName]) {
    assert.equal(raw["@odata.type"], ODATA_TYPE[typeName], `${path}: @odata.type of a ${typeName}`);
  }
  const additional = parsed.additionalData || {};
  for (const [wire, value] of Object.entries(raw)) {
    const desc = props[wire];
    if (desc) {
      assert.ok(!(wire in additional), `${path}.${wire}: landed in additionalData instead of the typed ${typeName} property`);
      if (compareValue(value, parsed[jsName(wire)], desc, `${path}.${wire}`, coverage)) coverage?.typed.add(`${typeName}.${wire}`);
    } else {
      assert.ok(wire in additional, `${path}.${wire}: dropped (${typeName} declares no such property, and it is not in additionalData)`);
      assert.deepEqual(additional[wire], value, `${path}.${wire}: additionalData holds another value`);
      coverage?.additional.add(`${typeName}.${wire}`);
    }
  }
  // The model holds nothing the JSON did not.
  for (const wire of Object.keys(props)) {
    if (!(wire in raw)) {
      const v = parsed[jsName(wire)];
      assert.ok(v === undefined || v === null, `${path}.${wire}: absent from the JSON but the model holds ${JSON.stringify(v)}`);
    }
  }
  for (const k of Object.keys(additional)) {
    assert.ok(k in raw, `${path}: additionalData holds ${k}, absent from the JSON`);
  }
}

// Compares one raw interaction with the SDK's model of it; `version` is "v1.0" or "beta".
export function assertSameInteraction(raw, parsed, version, coverage, path = `interaction ${raw?.id}`) {
  compareObject(raw, parsed, `aiInteraction/${version}`, path, coverage);
}

// Every typed property of every nested type that data can carry (for coverage assertions).
export function nestedProperties(version) {
  const out = [];
  const walk = (typeName, seen) => {
    if (seen.has(typeName)) return;
    seen.add(typeName);
    for (const [wire, desc] of Object.entries(TYPES[typeName])) {
      out.push(`${typeName}.${wire}`);
      if (desc.type) walk(desc.type, seen);
    }
  };
  walk(`aiInteraction/${version}`, new Set());
  return out;
}

// The export of a written item keeps what was written: the same values (createdDateTime the same
// instant to the 100 ns, in UTC with a Z), plus what the server owns (etag, @odata.type of identities, null or []
// for what the writer left out).
export function assertExportKeepsWritten(written, exported, path = `interaction ${written.id}`) {
  for (const [k, v] of Object.entries(written)) {
    if (k === "@aihistory.userId") continue;
    if (k === "createdDateTime") {
      assert.equal(ticks(exported[k]), ticks(v), `${path}.createdDateTime: ${v} exported as ${exported[k]}`);
      assert.match(exported[k], /Z$/, `${path}.createdDateTime is not UTC`);
      continue;
    }
    assertJsonKept(v, exported[k], `${path}.${k}`);
  }
  for (const [k, v] of Object.entries(exported)) {
    if (k in written || k === "etag" || k === "id") continue;
    assert.ok(v === null || (Array.isArray(v) && v.length === 0), `${path}.${k}: not written, exported as ${JSON.stringify(v)}`);
  }
}

function assertJsonKept(w, e, path) {
  if (w === null || typeof w !== "object") {
    assert.deepEqual(e, w, path);
  } else if (Array.isArray(w)) {
    assert.ok(Array.isArray(e), `${path}: not an array`);
    assert.equal(e.length, w.length, `${path}: length`);
    w.forEach((x, i) => assertJsonKept(x, e[i], `${path}[${i}]`));
  } else {
    assert.ok(e && typeof e === "object", `${path}: exported as ${JSON.stringify(e)}`);
    for (const [k, v] of Object.entries(w)) assertJsonKept(v, e[k], `${path}.${k}`);
    for (const [k, v] of Object.entries(e)) {
      if (k in w || k === "@odata.type") continue;
      assert.ok(v === null, `${path}.${k}: not written, exported as ${JSON.stringify(v)}`);
    }
  }
}
