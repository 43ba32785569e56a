/**
 * A small TypeScript client for hip-pelvic-screener API v1, written only against the types that
 * openapi-typescript generates from the service's OpenAPI document into ./api.d.ts:
 *
 *   npx openapi-typescript ../../snapshots/openapi.json -o api.d.ts && npx tsc --noEmit -p .
 *
 * tests/api/test_generated_clients.py type-checks it that way, then compiles and runs it against
 * a real server. The lines marked @ts-expect-error must stay errors: they prove that the generated
 * types spell out question ids, option values and levels.
 */
import type { components, paths } from "./api";

type Schemas = components["schemas"];
export type Answers = Schemas["Answers"];
export type ScreeningRequest = Schemas["ScreeningRequest"];
export type ScreeningResult = Schemas["ScreeningResult"];
export type ProgressRequest = Schemas["ProgressRequest"];
export type Progress = Schemas["ProgressView"];
export type Questionnaire = Schemas["QuestionnaireView"];
export type Problem = Schemas["Problem"];
export type Level = ScreeningResult["level"];

type Screening = paths["/v1/questionnaires/{questionnaire_id}/screenings"]["post"];
type ScreeningOptions = NonNullable<Screening["parameters"]["query"]>;
type GetQuestionnaire = paths["/v1/questionnaires/{questionnaire_id}"]["get"];

/** An error answer: the RFC 9457 problem document the service sent. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
}

async function send<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  const type = response.headers.get("Content-Type") ?? "";
  if (!response.ok) {
    if (type.startsWith("application/problem+json")) {
      throw new ProblemError((await response.json()) as Problem);
    }
    throw new Error(`HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}

function post<T>(url: string, body: ScreeningRequest | ProgressRequest): Promise<T> {
  return send<T>(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function getQuestionnaire(
  baseUrl: string,
  id: string,
  lang?: string,
): Promise<GetQuestionnaire["responses"][200]["content"]["application/json"]> {
  const query = lang ? `?lang=${encodeURIComponent(lang)}` : "";
  return send(`${baseUrl}/v1/questionnaires/${encodeURIComponent(id)}${query}`);
}

export function screen(
  baseUrl: string,
  id: string,
  body: Screening["requestBody"]["content"]["application/json"],
  options: ScreeningOptions = {},
): Promise<Screening["responses"][200]["content"]["application/json"]> {
  const query = new URLSearchParams(options as Record<string, string>).toString();
  return post(`${baseUrl}/v1/questionnaires/${encodeURIComponent(id)}/screenings${query ? `?${query}` : ""}`, body);
}

export function progress(baseUrl: string, id: string, body: ProgressRequest): Promise<Progress> {
  return post(`${baseUrl}/v1/questionnaires/${encodeURIComponent(id)}/progress`, body);
}

/** How soon to act on a level; the switch is exhaustive, so a new level fails the build. */
export function urgency(level: Level): "now" | "today" | "soon" | "when convenient" {
  switch (level) {
    case "emergency":
      return "now";
    case "urgent_same_day":
      return "today";
    case "prompt_medical_review":
      return "soon";
    case "recommend_pelvic_floor_physio":
    case "consider_pelvic_floor_physio":
    case "general_advice":
      return "when convenient";
    default: {
      const unknown: never = level;
      return unknown;
    }
  }
}

/** The codes of a 422 problem, e.g. missing_required; empty for other problems. */
export function problemCodes(problem: Problem): string[] {
  return (problem.errors ?? []).map((item) => `${item.code} ${item.pointer}`);
}

// --- what the generated types accept and refuse ------------------------------------------------

export const bladderUrgency: Answers = {
  ctx_answering_for: "myself",
  ctx_age_years: 42,
  ctx_pelvic_anatomy: ["vulva_vagina", "uterus"],
  bl_symptoms_present: true,
  bl_urgency: "daily",
};

export const refused = [
  // @ts-expect-error a key that is no question id
  { answers: { not_a_question: true } } satisfies ScreeningRequest,
  // @ts-expect-error an option the question does not have
  { answers: { ctx_answering_for: "me" } } satisfies ScreeningRequest,
  // @ts-expect-error a boolean question takes a JSON boolean
  { answers: { bl_symptoms_present: "yes" } } satisfies ScreeningRequest,
  // @ts-expect-error a multi_choice question takes a list
  { answers: { ctx_pelvic_anatomy: "uterus" } } satisfies ScreeningRequest,
  // @ts-expect-error levels are spelled out
  "urgent" satisfies Level,
];
