// The clinic-facing /verify page: takes a receipt from the URL fragment (a scanned QR code or an
// opened link) or from the text box, verifies it with POST /v1/receipts/verify and shows the
// summary. The fragment is cleared from the address bar once read; nothing is stored.
import { renderReceipt } from "./receipt-view.js";

const form = document.getElementById("verify-form");
const input = document.getElementById("receipt");
const output = document.getElementById("summary");
const status = document.getElementById("verify-status");

const TEXTS = {
  en: {
    reasons: {
      malformed: "This is not a receipt of this service. Check that the whole receipt was pasted.",
      unknown_key: "This receipt was signed with a key this service does not hold (an unknown or retired key).",
      bad_signature: "This receipt was changed or damaged: its signature does not match its contents.",
      invalid_claims: "This receipt is signed but does not hold a result.",
      wrong_issuer: "This receipt was issued by another service.",
      expired: "This receipt has expired.",
      not_yet_valid: "This receipt's date lies in the future.",
    },
    unknown: "The receipt could not be checked.",
    checking: "Checking the receipt…",
    offline: "The service could not be reached. Please try again.",
    genuine: "The receipt is genuine: this is the result the screener gave for these answers.",
    verified: "Verified result",
    date: "Date and time",
    level: "Level",
    ruleset: "Rule set",
    until: "Receipt valid until",
    key: "Signed with key",
    todo: "What to do",
    why: "Why",
    findings: "What the answers show",
    answers: "All answers",
    copy: "Keep a copy",
  },
  fr: {
    reasons: {
      malformed: "Ce n’est pas un reçu de ce service. Vérifiez que le reçu a été collé en entier.",
      unknown_key: "Ce reçu a été signé avec une clé que ce service ne détient pas (clé inconnue ou retirée).",
      bad_signature: "Ce reçu a été modifié ou abîmé : sa signature ne correspond pas à son contenu.",
      invalid_claims: "Ce reçu est signé mais ne contient pas de résultat.",
      wrong_issuer: "Ce reçu a été émis par un autre service.",
      expired: "Ce reçu a expiré.",
      not_yet_valid: "La date de ce reçu est dans le futur.",
    },
    unknown: "Le reçu n’a pas pu être vérifié.",
    checking: "Vérification du reçu…",
    offline: "Le service est injoignable. Veuillez réessayer.",
    genuine: "Le reçu est authentique : voici le résultat que le questionnaire a donné pour ces réponses.",
    verified: "Résultat vérifié",
    date: "Date et heure",
    level: "Niveau",
    ruleset: "Jeu de règles",
    until: "Reçu valable jusqu’au",
    key: "Signé avec la clé",
    todo: "Que faire",
    why: "Pourquoi",
    findings: "Ce que montrent les réponses",
    answers: "Toutes les réponses",
    copy: "Garder une copie",
  },
};
const LANG = document.documentElement.lang === "fr" ? "fr" : "en";
const T = TEXTS[LANG];

function el(tag, text = "", attributes = {}) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function tokenOf(text) {
  const trimmed = text.trim();
  const hash = trimmed.indexOf("#");
  return hash >= 0 ? trimmed.slice(hash + 1) : trimmed;
}

function when(iso) {
  return iso.replace("T", " ").replace("Z", " UTC");
}

function show(summary, token) {
  const result = summary.result;
  const answers = new Map();
  for (const section of summary.answers) for (const a of section.answers) answers.set(a.question, a);
  const box = el("article", "", { "aria-labelledby": "verified-heading", "data-verified": summary.signed.level });
  box.append(el("h2", T.verified, { id: "verified-heading" }));
  const facts = el("dl");
  const fact = (term, value) => facts.append(el("dt", term), el("dd", value));
  fact(T.date, when(summary.issued_at));
  fact(T.level, summary.signed.level);
  fact(T.ruleset, `${summary.signed.ruleset.id} ${summary.signed.ruleset.version}`);
  fact(T.until, when(summary.expires_at));
  fact(T.key, summary.key_id);
  box.append(facts);
  for (const note of summary.notes) box.append(el("p", note, { class: "note" }));
  if (result) {
    box.append(el("p", result.headline, { class: "headline" }));
    box.append(el("h3", T.todo));
    const steps = el("ul");
    for (const step of result.next_steps) steps.append(el("li", step));
    box.append(steps);
    if (result.reasons.length) box.append(el("h3", T.why));
    for (const reason of result.reasons) {
      const item = el("div", "", { class: "reason" });
      item.append(el("p", reason.text));
      const answered = el("ul");
      for (const qid of reason.questions) {
        const a = answers.get(qid);
        if (a) answered.append(el("li", `${a.text} ${a.answer}`));
      }
      if (answered.childElementCount) item.append(answered);
      box.append(item);
    }
    box.append(el("h3", T.findings));
    const findings = el("ul");
    for (const finding of Object.values(result.findings)) findings.append(el("li", `${finding.label}: ${finding.text}`));
    box.append(findings);
  }
  box.append(el("h3", T.answers));
  for (const section of summary.answers) {
    box.append(el("h4", section.title));
    const list = el("ul");
    for (const a of section.answers) list.append(el("li", `${a.text} ${a.answer}`));
    box.append(list);
  }
  if (result) box.append(el("p", result.disclaimer, { class: "disclaimer" }));
  const downloads = el("div");
  box.append(downloads);
  renderReceipt(downloads, token, { lang: LANG, qr: false, headingLevel: 3, heading: T.copy });
  output.replaceChildren(box);
}

async function verify(token) {
  output.replaceChildren();
  status.textContent = T.checking;
  let response;
  try {
    response = await fetch("/v1/receipts/verify", {
      method: "POST",
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ token }),
    });
  } catch {
    status.textContent = T.offline;
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    status.textContent = T.genuine;
    show(body, token);
  } else {
    status.textContent = T.reasons[body.reason] || T.unknown;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = tokenOf(input.value);
  if (token) verify(token);
});

const fromLink = location.hash.slice(1);
if (fromLink) {
  history.replaceState(null, "", location.pathname + location.search);
  verify(decodeURIComponent(fromLink));
}
