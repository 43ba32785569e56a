// <hip-pelvic-screener>: an embeddable, non-diagnostic hip and pelvic floor screener.
// One ES module, no build step. The result screen loads two more from beside it:
// receipt-view.js and uqr.js (a QR encoder, MIT, vendored unchanged; the only third-party
// code). It talks only to its api-base and stores nothing in the browser (no cookies, no
// web storage).
// Attributes: api-base, clinic, lang, country, questionnaire.
// Theme with CSS custom properties on the element: --hps-accent, --hps-font, --hps-text,
// --hps-bg, --hps-muted, --hps-radius, --hps-danger, --hps-warning, --hps-ok.

const ORDINAL = new Set(["gt", "gte", "lt", "lte"]);

function isAnswered(answers, qid) {
  return Object.prototype.hasOwnProperty.call(answers, qid) && answers[qid] !== undefined && answers[qid] !== null;
}

function selected(answers, qid) {
  const value = isAnswered(answers, qid) ? answers[qid] : undefined;
  return Array.isArray(value) ? value : [];
}

function position(question, value) {
  if (question && question.type === "single_choice") {
    return (question.options || []).findIndex((option) => (typeof option === "string" ? option : option.value) === value);
  }
  return value;
}

/**
 * Evaluate an enable_when condition exactly as the server does (app/engine/conditions.py).
 * condition: {all: [...]}, {any: [...]}, {not: ...}, {always: true} or a leaf {question, op, value}.
 * answers: {questionId: value}; multi_choice answers are arrays. A leaf on an unanswered
 * question is false, except not_answered. questions: {questionId: item} (options, exclusive).
 */
export function evaluateCondition(condition, answers, questions) {
  if (condition === null || condition === undefined) return true;
  if ("all" in condition) return condition.all.every((item) => evaluateCondition(item, answers, questions));
  if ("any" in condition) return condition.any.some((item) => evaluateCondition(item, answers, questions));
  if ("not" in condition) return !evaluateCondition(condition.not, answers, questions);
  if ("always" in condition) return condition.always === true;
  const { question: qid, op, value } = condition;
  const question = questions ? questions[qid] : undefined;
  const has = isAnswered(answers, qid);
  const answer = has ? answers[qid] : undefined;
  switch (op) {
    case "answered":
      return has;
    case "not_answered":
      return !has;
    case "equals":
      return has && answer === value;
    case "not_equals":
      return has && answer !== value;
    case "in":
      return has && value.includes(answer);
    case "not_in":
      return has && !value.includes(answer);
    case "contains":
      return selected(answers, qid).includes(value);
    case "not_contains":
      return has && !selected(answers, qid).includes(value);
    case "contains_any":
      return value.some((option) => selected(answers, qid).includes(option));
    case "contains_all":
      return has && value.every((option) => selected(answers, qid).includes(option));
    case "count_gte":
    case "count_lte": {
      if (!has) return false;
      const exclusive = new Set((question && question.exclusive) || []);
      const count = new Set(selected(answers, qid).filter((option) => !exclusive.has(option))).size;
      return op === "count_gte" ? count >= value : count <= value;
    }
    default:
      if (ORDINAL.has(op)) {
        if (!has) return false;
        const a = position(question, answer);
        const b = position(question, value);
        if (op === "gt") return a > b;
        if (op === "gte") return a >= b;
        if (op === "lt") return a < b;
        return a <= b;
      }
      throw new Error(`unknown operator ${op}`);
  }
}

/** Skip logic over the whole questionnaire, in order: hidden answers never count. */
export function applicableQuestions(questionnaire, answers) {
  const byId = {};
  for (const section of questionnaire.sections) for (const item of section.items) byId[item.id] = item;
  const effective = {};
  const applicable = new Set();
  for (const section of questionnaire.sections) {
    for (const item of section.items) {
      if (item.enable_when && !evaluateCondition(item.enable_when, effective, byId)) continue;
      applicable.add(item.id);
      if (isAnswered(answers, item.id)) effective[item.id] = answers[item.id];
    }
  }
  return { applicable, effective, byId };
}

/** A section shown as one checklist of statements with "None of these apply to me". */
export function isChecklist(section) {
  return section.display === "checklist";
}

/** A statement of a checklist: an item with the answer "None of these" gives it. */
export function isStatement(item) {
  return item.negative !== null && item.negative !== undefined;
}

/**
 * Consecutive checklist sections of a screen are shown as one checklist with one "None of
 * these apply to me": a group has the first section's id and prompt, its ``sections`` and all
 * their ``items``.
 */
export function checklistGroups(sections) {
  const groups = [];
  let previous = null;
  for (const section of sections) {
    if (!isChecklist(section)) {
      previous = null;
      continue;
    }
    if (previous) {
      previous.sections.push(section);
      previous.items.push(...section.items);
    } else {
      previous = { id: section.id, prompt: section.prompt, sections: [section], items: [...section.items] };
      groups.push(previous);
    }
  }
  return groups;
}

/** The statement's "None of these" answer, as the API takes it. */
function negativeOf(item) {
  return Array.isArray(item.negative) ? [...item.negative] : item.negative;
}

export function isNegative(item, value) {
  if (Array.isArray(item.negative)) return Array.isArray(value) && value.length === 1 && value[0] === item.negative[0];
  return value === item.negative;
}

/**
 * The options a checklist statement offers beside its tick: those of a statement with a
 * ``ticked`` answer that are neither it nor the negative (e.g. "Prefer not to say" on the bowel
 * and sex gates). A statement without ``ticked`` offers its options (all but the negative) as
 * follow-ups once ticked instead, "Prefer not to say" and "Not sure" among them.
 */
export function otherOptions(item) {
  if (!isStatement(item) || item.ticked === null || item.ticked === undefined || !Array.isArray(item.options)) return [];
  const taken = new Set([item.negative, item.ticked].flat());
  return item.options.filter((option) => !taken.has(option.value));
}

/** The statement's answer is one of its other options (see otherOptions). */
export function isOtherAnswer(item, value) {
  const chosen = Array.isArray(value) && value.length === 1 ? value[0] : value;
  return otherOptions(item).some((option) => option.value === chosen);
}

// Screens: sections share one while the screen holds at most SCREEN_BUDGET questions or
// statements, when both are checklists or one of them has at most LONE_QUESTIONS questions.
const SCREEN_BUDGET = 10;
const LONE_QUESTIONS = 2;
// Keys that set a slider (Tab arriving on it must not answer it).
const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown", " "]);
// About how long one screen takes, for "about N minutes left".
const SECONDS_PER_SCREEN = 30;

/** French typography: a no-break space before : ; ? ! and inside « », in any text shown. */
export function frenchSpacing(text) {
  return text.replace(/[ \u202f]([:;?!»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
}

// French typography: a no-break space before : ; ? ! (written \u00a0 below).
const STRINGS = {
  en: {
    language: "Language",
    loading: "Loading the questions…",
    loadFailed: "The questions could not be loaded.",
    retry: "Try again",
    minutesLeft: (minutes) => (minutes <= 1 ? "About 1 minute left" : `About ${minutes} minutes left`),
    progressLabel: "Progress",
    checklistLegend: "Do any of these apply to you now? Select all that apply.",
    noneOfThese: "None of these apply to me",
    or: "or",
    checklistRequired: "Select what applies to you, or “None of these apply to me”.",
    chooseOne: "Choose the answer that fits.",
    othersNo: "The other statements",
    changeAnswerOf: (text) => `Change your answer: ${text}`,
    accessibility: "Accessibility statement",
    back: "Back",
    next: "Next",
    review: "Check your answers",
    reviewIntro: "Check your answers before you see the result. You can change any of them.",
    change: "Change",
    notAnswered: "Not answered",
    submit: "See my result",
    sending: "Working out your result…",
    submitFailed: "Your result could not be worked out.",
    yes: "Yes",
    no: "No",
    optional: "(optional)",
    errorsTitle: "There is a problem",
    required: "Answer this question.",
    wholeNumber: (min, max) => `Enter a whole number from ${min} to ${max}.`,

    resultTitle: "Your result",
    resultAnnounce: (label, headline) => `Your result: ${label}. ${headline}`,
    reasons: "Why this result",
    alsoWorth: "Also worth mentioning",
    why: "What doctors would check for",
    findings: "What your answers show",
    noFindings: "Your answers do not show symptoms in these areas.",
    advice: "Advice",
    nextSteps: "What to do next",
    book: "Book an appointment",
    call: (phone) => `Call ${phone}`,
    clinicCta: (name) => `${name} can help`,
    print: "Print summary",
    restart: "Start again",
    safetyLine: (number) => `If you think you need emergency help now, call ${number}.`,
    checking: "Checking your answers…",
    checkFailed: "Your answers could not be checked.",
    causeNetwork: "The service could not be reached. Check your connection.",
    causeTimeout: "The service did not answer in time.",
    causeBusy: "The service is busy just now.",
    causeServer: "The service has a problem just now.",
    answersKept: "Your answers are kept.",
    retryIn: (seconds) => `It will try again by itself in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`,
    retrying: "Trying again…",
    backToQuestions: "Back to the questions",
    emergencyHeadline: "Get emergency help now",
    emergencyCall: (number) => `Call ${number} now`,
    noDriving: "Do not drive yourself.",
    noDrivingMore: "Ask someone to take you, or call for an ambulance.",
    emergencyWhy: "Why we are saying this",
    reasonsLoading: "Loading the reasons…",
    emergencyChoice:
      "If you chose an answer by mistake, you can change it. You can also go on with the questions: this advice will stay at the top.",
    changeAnswer: "Change my answer",
    continueQuestions: "Continue the questions",
    emergencyNotice: "Your answers so far mean you need emergency help now.",
    emergencyNoticeLabel: "Emergency advice",
    urgentFallback: "Contact a doctor or urgent care service today.",
    urgentGoOn: "You can carry on with the questions.",
    urgentAnnounce: (text) => `Urgent: get help today. ${text}`,
    summaryOf: (when) => `Summary of your answers, ${when}`,
    yourAnswers: "What you answered",
    ruleset: (id, version) => `Rule set: ${id}, version ${version}`,
    clinicPhone: (phone) => `Phone: ${phone}`,
    clinicBooking: "Book online:",
    pair: (name, value) => `${name}: ${value}`,
    status: { none: "None", some: "Some", marked: "Marked" },
    levels: {
      emergency: "Emergency: act now",
      urgent_same_day: "Urgent: get help today",
      prompt_medical_review: "See a doctor soon",
      recommend_pelvic_floor_physio: "Pelvic floor physiotherapy recommended",
      consider_pelvic_floor_physio: "Pelvic floor physiotherapy may help",
      general_advice: "General advice",
    },
  },
  fr: {
    language: "Langue",
    loading: "Chargement des questions…",
    loadFailed: "Les questions n’ont pas pu être chargées.",
    retry: "Réessayer",
    minutesLeft: (minutes) => (minutes <= 1 ? "Environ 1\u00a0minute restante" : `Environ ${minutes}\u00a0minutes restantes`),
    progressLabel: "Progression",
    checklistLegend: "Est-ce que l’un de ces points vous concerne en ce moment\u00a0? Cochez tout ce qui s’applique.",
    noneOfThese: "Rien de tout cela ne me concerne",
    or: "ou",
    checklistRequired: "Cochez ce qui vous concerne, ou «\u00a0Rien de tout cela ne me concerne\u00a0».",
    chooseOne: "Choisissez la réponse qui convient.",
    othersNo: "Les autres points",
    changeAnswerOf: (text) => `Modifier votre réponse\u00a0: ${text}`,
    accessibility: "Déclaration d’accessibilité",
    back: "Retour",
    next: "Suivant",
    review: "Vérifiez vos réponses",
    reviewIntro: "Vérifiez vos réponses avant de voir le résultat. Vous pouvez les modifier.",
    change: "Modifier",
    notAnswered: "Sans réponse",
    submit: "Voir mon résultat",
    sending: "Calcul de votre résultat…",
    submitFailed: "Votre résultat n’a pas pu être calculé.",
    yes: "Oui",
    no: "Non",
    optional: "(facultatif)",
    errorsTitle: "Il y a un problème",
    required: "Répondez à cette question.",
    wholeNumber: (min, max) => `Saisissez un nombre entier de ${min} à ${max}.`,

    resultTitle: "Votre résultat",
    resultAnnounce: (label, headline) => `Votre résultat\u00a0: ${label}. ${headline}`,
    reasons: "Pourquoi ce résultat",
    alsoWorth: "À signaler aussi",
    why: "Ce que les médecins vérifieraient",
    findings: "Ce que montrent vos réponses",
    noFindings: "Vos réponses ne montrent pas de symptômes dans ces domaines.",
    advice: "Conseils",
    nextSteps: "Que faire maintenant",
    book: "Prendre rendez-vous",
    call: (phone) => `Appeler le ${phone}`,
    clinicCta: (name) => `${name} peut vous aider`,
    print: "Imprimer le résumé",
    restart: "Recommencer",
    safetyLine: (number) => `Si vous pensez avoir besoin d’une aide d’urgence maintenant, appelez le ${number}.`,
    checking: "Vérification de vos réponses…",
    checkFailed: "Vos réponses n’ont pas pu être vérifiées.",
    causeNetwork: "Le service est injoignable. Vérifiez votre connexion.",
    causeTimeout: "Le service n’a pas répondu à temps.",
    causeBusy: "Le service est très sollicité en ce moment.",
    causeServer: "Le service rencontre un problème en ce moment.",
    answersKept: "Vos réponses sont conservées.",
    retryIn: (seconds) => `Nouvel essai automatique dans ${seconds} ${seconds === 1 ? "seconde" : "secondes"}.`,
    retrying: "Nouvel essai…",
    backToQuestions: "Retour aux questions",
    emergencyHeadline: "Demandez une aide d’urgence maintenant",
    emergencyCall: (number) => `Appelez le ${number} maintenant`,
    noDriving: "Ne conduisez pas vous-même.",
    noDrivingMore: "Demandez à quelqu’un de vous emmener, ou appelez une ambulance.",
    emergencyWhy: "Pourquoi nous vous disons cela",
    reasonsLoading: "Chargement des raisons…",
    emergencyChoice:
      "Si vous avez choisi une réponse par erreur, vous pouvez la modifier. Vous pouvez aussi continuer les questions\u00a0: ce conseil restera affiché en haut.",
    changeAnswer: "Modifier ma réponse",
    continueQuestions: "Continuer les questions",
    emergencyNotice: "D’après vos réponses, vous avez besoin d’une aide d’urgence maintenant.",
    emergencyNoticeLabel: "Conseil d’urgence",
    urgentFallback: "Contactez aujourd’hui un médecin ou un service de soins non programmés.",
    urgentGoOn: "Vous pouvez continuer les questions.",
    urgentAnnounce: (text) => `Urgent\u00a0: consultez aujourd’hui. ${text}`,
    summaryOf: (when) => `Résumé de vos réponses, ${when}`,
    yourAnswers: "Vos réponses",
    ruleset: (id, version) => `Règles\u00a0: ${id}, version ${version}`,
    clinicPhone: (phone) => `Téléphone\u00a0: ${phone}`,
    clinicBooking: "Rendez-vous en ligne\u00a0:",
    pair: (name, value) => `${name}\u00a0: ${value}`,
    status: { none: "Aucun", some: "Quelques-uns", marked: "Marqués" },
    levels: {
      emergency: "Urgence\u00a0: agissez maintenant",
      urgent_same_day: "Urgent\u00a0: consultez aujourd’hui",
      prompt_medical_review: "Consultez un médecin rapidement",
      recommend_pelvic_floor_physio: "Kinésithérapie périnéale recommandée",
      consider_pelvic_floor_physio: "La kinésithérapie périnéale peut aider",
      general_advice: "Conseils généraux",
    },
  },
};
const LANGUAGE_NAMES = { en: "English", fr: "Français" };
const LEVELS = [
  "emergency",
  "urgent_same_day",
  "prompt_medical_review",
  "recommend_pelvic_floor_physio",
  "consider_pelvic_floor_physio",
  "general_advice",
];
const URGENT = new Set(["emergency", "urgent_same_day"]);
const ICONS = {
  emergency: "⚠",
  urgent_same_day: "⚠",
  prompt_medical_review: "!",
  recommend_pelvic_floor_physio: "➜",
  consider_pelvic_floor_physio: "➜",
  general_advice: "ℹ",
};
// Used only until the questionnaire (which names the number for its country) has loaded, or
// when an older server does not send emergency_number. Mirrors the rule set's countries.yaml.
const EMERGENCY_NUMBERS = { gb: "999", ie: "112", us: "911", ca: "911", au: "000", nz: "111", fr: "15" };
const DEFAULT_EMERGENCY_NUMBER = "112";
// No answer within this time counts as a failure (the request is aborted).
const REQUEST_TIMEOUT_MS = 15000;
// Automatic retries: after Retry-After when the server sends it (clamped), else these delays.
const RETRY_BACKOFF_SECONDS = [5, 10, 20, 30, 60];
const MAX_RETRY_AFTER_SECONDS = 120;
// States where the person is still answering: the emergency or urgent notice stays on top.
const NOTICE_STATES = new Set(["step", "checking", "check-error", "review", "sending", "submit-error"]);
const STEP_STATES = new Set(["step", "checking"]);

const CSS = `
:host { display: block; font-family: var(--hps-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  color: var(--hps-text, #1a1a1a); background: var(--hps-bg, #ffffff); line-height: 1.5; font-size: 1rem;
  max-width: 44rem; overflow-wrap: anywhere; }
* { box-sizing: border-box; }
.hps { padding: 1rem; }
.bar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem; }
.progress-text { margin: 0; color: var(--hps-muted, #4a4a4a); }
.track { height: .5rem; background: #e4e4e4; border-radius: 999px; margin: .5rem 0 1rem; }
.fill { height: 100%; background: var(--hps-accent, #0b5fff); border-radius: 999px; }
h2 { font-size: 1.4rem; margin: .5rem 0 1rem; }
/* Headings take focus only so a screen reader starts there: no box is drawn around them. */
h2:focus, h2:focus-visible { outline: none; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
fieldset, .field { border: 1px solid #c8c8c8; border-radius: var(--hps-radius, 8px); margin: 0 0 1rem; padding: .75rem 1rem 1rem; min-width: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
.field > label { display: block; font-weight: 600; }
.help { color: var(--hps-muted, #4a4a4a); margin: .25rem 0 .5rem; }
/* Each choice's label is part of its target: at least 44 pixels high, the width of the row. */
.choice { display: flex; align-items: center; gap: .5rem; min-height: 2.75rem; }
.choice input { width: 1.25rem; height: 1.25rem; margin: 0; flex: none; accent-color: var(--hps-accent, #0b5fff); }
.choice label { flex: 1; padding: .55rem 0; min-width: 0; cursor: pointer; }
select { min-height: 2.75rem; max-width: 100%; }
/* The 0-10 slider: one row, a 44 by 44 pixel thumb; numbers under it (not targets). */
.slider { display: block; width: 100%; height: 2.75rem; margin: .25rem 0 0; accent-color: var(--hps-accent, #0b5fff); background: transparent; cursor: pointer; -webkit-appearance: none; appearance: none; }
.slider::-webkit-slider-runnable-track { height: .5rem; border-radius: 999px; background: #8a8a8a; }
.slider::-webkit-slider-thumb { -webkit-appearance: none; appearance: none; width: 2.75rem; height: 2.75rem; margin-top: -1.125rem; border-radius: 50%; background: var(--hps-accent, #0b5fff); border: 3px solid #ffffff; box-shadow: 0 0 0 2px var(--hps-accent, #0b5fff); }
.slider::-moz-range-track { height: .5rem; border-radius: 999px; background: #8a8a8a; }
.slider::-moz-range-thumb { width: 2.75rem; height: 2.75rem; border-radius: 50%; background: var(--hps-accent, #0b5fff); border: 3px solid #ffffff; }
.slider.unset::-webkit-slider-thumb { background: #ffffff; box-shadow: 0 0 0 2px #6b6b6b; }
.slider.unset::-moz-range-thumb { background: #ffffff; }
.ticks { display: flex; justify-content: space-between; padding: 0 .9rem; color: var(--hps-muted, #4a4a4a); font-size: .85rem; }
.scale-value { margin: .25rem 0 0; font-weight: 600; }
.scale-ends { display: flex; justify-content: space-between; gap: 1rem; margin: .25rem 0 0; color: var(--hps-muted, #4a4a4a); font-size: .9rem; }
.scale-ends span:last-child { text-align: right; }
.checklist .statement { border-bottom: 1px solid #e4e4e4; }
/* A statement with an answer beside its tick ("Prefer not to say"): one line, wrapping on a phone. */
.statement-line { display: flex; flex-wrap: wrap; align-items: center; column-gap: 1rem; }
.statement-line > .choice:first-child { flex: 1 1 18rem; }
.choice.other { flex: none; margin-left: 1.75rem; font-size: .9rem; color: var(--hps-muted, #4a4a4a); }
.choice.other input { width: 1.1rem; height: 1.1rem; }
.follow-up { margin: 0 0 .5rem 1.75rem; }
.follow-up fieldset, .follow-up .field { margin-bottom: .5rem; }
.or { margin: .5rem 0 0; font-weight: 600; }
dl.compact { margin: 0 0 .5rem; }
.answer-row { display: grid; grid-template-columns: minmax(0, 1fr) auto; column-gap: .75rem; padding: .25rem 0; border-bottom: 1px solid #e4e4e4; }
.answer-row dt { grid-column: 1; margin: 0; font-weight: 600; }
.answer-row dd { grid-column: 1; margin: 0; }
.answer-row dd.change { grid-column: 2; grid-row: 1 / span 2; align-self: center; }
button.link { border: 0; background: none; text-decoration: underline; padding: .5rem; min-width: 2.75rem; }
.footer { margin: 1.5rem 0 0; font-size: .9rem; }
@media (max-width: 30rem) {
  .hps { padding: .5rem; }
  fieldset, .field { padding: .5rem .75rem .75rem; }
  .follow-up { margin-left: .75rem; }
}
input[type="text"] { font: inherit; padding: .5rem; width: 8rem; max-width: 100%; border: 2px solid #6b6b6b; border-radius: 4px; }
input:focus-visible, button:focus-visible, a:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid var(--hps-accent, #0b5fff); outline-offset: 2px; }
.error { color: var(--hps-danger, #b00020); font-weight: 600; margin: .25rem 0; }
[aria-invalid="true"] { border-color: var(--hps-danger, #b00020); }
fieldset.invalid, .field.invalid { border: 2px solid var(--hps-danger, #b00020); }
.summary { border: 3px solid var(--hps-danger, #b00020); padding: .75rem 1rem; border-radius: var(--hps-radius, 8px); margin-bottom: 1rem; }
.summary:focus { outline: 3px solid var(--hps-accent, #0b5fff); }
.summary a { color: var(--hps-danger, #b00020); }
.nav { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1rem; }
button, .button { font: inherit; min-height: 2.75rem; padding: .5rem 1.25rem; border-radius: var(--hps-radius, 8px); cursor: pointer;
  border: 2px solid var(--hps-accent, #0b5fff); background: var(--hps-bg, #fff); color: var(--hps-accent-text, #0b3aa8); text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: var(--hps-accent, #0b5fff); color: var(--hps-on-accent, #ffffff); }
.button.call { border-color: var(--hps-danger, #b00020); background: var(--hps-danger, #b00020); color: #ffffff; font-weight: 700; }
select { font: inherit; padding: .25rem; background: var(--hps-bg, #fff); color: inherit; }
dl.answers { margin: 0 0 .5rem; }
dl.answers dt { font-weight: 600; margin-top: .5rem; }
dl.answers dd { margin: 0; }
.level { display: flex; gap: .75rem; align-items: center; padding: .75rem 1rem; border-radius: var(--hps-radius, 8px); border: 3px solid; font-weight: 700; }
.level .icon { font-size: 1.5rem; line-height: 1; }
.level-emergency, .level-urgent_same_day { border-color: var(--hps-danger, #b00020); background: #fdecee; color: #7a0016; }
.level-prompt_medical_review { border-color: var(--hps-warning, #8a5a00); background: #fff5e0; color: #5c3c00; }
.level-recommend_pelvic_floor_physio, .level-consider_pelvic_floor_physio, .level-general_advice { border-color: var(--hps-ok, #1d6b36); background: #eaf6ee; color: #124422; }
.safety { margin: 0 0 1rem; padding: .5rem .75rem; border-left: 4px solid var(--hps-danger, #b00020); background: #fdecee; color: #5c0011; }
.safety a { color: inherit; font-weight: 700; }
.notice { border: 3px solid var(--hps-danger, #b00020); border-radius: var(--hps-radius, 8px); background: #fdecee; color: #5c0011; padding: .5rem 1rem; margin: 0 0 1rem; }
.notice p { margin: .4rem 0; }
.notice .icon { font-size: 1.25rem; }
.act { margin: 1rem 0; }
.act p { margin: .5rem 0; }
.status-line { color: var(--hps-muted, #4a4a4a); min-height: 1.5em; }
.meta { color: var(--hps-muted, #4a4a4a); font-size: .9rem; }
.cta { border: 2px solid var(--hps-accent, #0b5fff); border-radius: var(--hps-radius, 8px); padding: .75rem 1rem; margin: 1rem 0; }
.disclaimer { border-left: 4px solid var(--hps-muted, #4a4a4a); padding-left: .75rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.print-only { display: none; }
@media print {
  :host { max-width: none; color: #000; background: #fff; }
  .bar, .nav, .no-print, .cta, .status-line { display: none !important; }
  .print-only { display: block; }
  details > *:not(summary) { display: block; }
  .level, .safety, .notice { border-color: #000; background: #fff; color: #000; }
  h2:focus, h2:focus-visible { outline: none; }
  .footer { display: none; }
}
`;

/** frenchSpacing over every text and label under ``node``. */
function frenchTypography(node) {
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const fixed = frenchSpacing(text.data);
    if (fixed !== text.data) text.data = fixed;
  }
  for (const element of node.querySelectorAll("[aria-label]")) {
    element.setAttribute("aria-label", frenchSpacing(element.getAttribute("aria-label")));
  }
}

let sheet = null;
function styleSheet() {
  if (sheet === null && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function telHref(number) {
  return `tel:${String(number).replace(/[^0-9+]/g, "")}`;
}

/** A failed request: kind is "network", "timeout" or "http" (with the status). */
class RequestError extends Error {
  constructor(kind, status = null, retryAfter = null) {
    super(kind === "http" ? `HTTP ${status}` : kind);
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  get retryable() {
    return this.kind !== "http" || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** Retry-After as whole seconds (delta-seconds or an HTTP date), clamped; null when absent. */
function retryAfterSeconds(value) {
  if (!value) return null;
  const text = value.trim();
  const seconds = /^[0-9]+$/.test(text) ? Number(text) : (Date.parse(text) - Date.now()) / 1000;
  if (!Number.isFinite(seconds)) return null;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}

// Outside a browser (e.g. Node running the shared vectors) only the evaluator is usable.
const Base = typeof HTMLElement === "undefined" ? class {} : HTMLElement;

class HipPelvicScreener extends Base {
  static get observedAttributes() {
    return ["lang"];
  }

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    const css = styleSheet();
    if (css) this.root.adoptedStyleSheets = [css];
    this.live = h("div", { class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.view = h("div", { class: "hps" });
    this.root.append(this.view, this.live);
    this.state = "loading";
    this.questionnaire = null;
    this.clinicProfile = null;
    this.language = null;
    this.resetJourney();
    // Failures: what failed, why, and the automatic retry.
    this.failure = null;
    this.attempts = 0;
    this.retryTimer = null;
    // Each request flow takes a ticket; an answer for an older ticket is ignored.
    this.ticket = 0;
  }

  get apiBase() {
    return (this.getAttribute("api-base") || "").replace(/\/+$/, "");
  }

  get questionnaireId() {
    return this.getAttribute("questionnaire") || "hip-pelvic-floor";
  }

  get t() {
    return STRINGS[this.language] || STRINGS.en;
  }

  get country() {
    return (this.questionnaire && this.questionnaire.country) || this.getAttribute("country") || (this.clinicProfile && this.clinicProfile.country) || "";
  }

  get emergencyNumber() {
    const served = this.questionnaire && this.questionnaire.emergency_number;
    return served || EMERGENCY_NUMBERS[this.country.toLowerCase()] || DEFAULT_EMERGENCY_NUMBER;
  }

  connectedCallback() {
    if (this.started) return;
    this.started = true;
    this.language = this.pickLanguage(this.getAttribute("lang"));
    this.load();
  }

  disconnectedCallback() {
    this.cancelRetry();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (this.started && name === "lang" && oldValue !== newValue) this.switchLanguage(this.pickLanguage(newValue));
  }

  pickLanguage(requested) {
    const code = (requested || document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    return code in STRINGS ? code : "en";
  }

  url(path, params = {}) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
    const text = query.toString();
    return `${this.apiBase}${path}${text ? `?${text}` : ""}`;
  }

  /** One JSON request, aborted after REQUEST_TIMEOUT_MS; failures are RequestErrors. */
  async request(path, params, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const init = {
      credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", headers: { Accept: "application/json" },
      signal: controller.signal,
    };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    try {
      const response = await fetch(this.url(path, params), init);
      if (!response.ok) throw new RequestError("http", response.status, retryAfterSeconds(response.headers.get("Retry-After")));
      return await response.json();
    } catch (error) {
      if (error instanceof RequestError) throw error;
      if (controller.signal.aborted) throw new RequestError("timeout");
      // A body that is not JSON (a proxy's error page) counts as a server problem.
      if (error instanceof SyntaxError) throw new RequestError("http", 502);
      throw new RequestError("network");
    } finally {
      clearTimeout(timer);
    }
  }

  questionnairePath(suffix = "") {
    return `/v1/questionnaires/${encodeURIComponent(this.questionnaireId)}${suffix}`;
  }

  async load(quiet = false) {
    this.cancelRetry();
    const ticket = ++this.ticket;
    if (!quiet) {
      this.state = "loading";
      this.render();
    }
    let questionnaire;
    try {
      const clinic = this.getAttribute("clinic");
      if (clinic && this.clinicProfile === null) {
        const profile = await this.request(`/widget/v1/clinics/${encodeURIComponent(clinic)}.json`).catch(() => null);
        if (this.clinicProfile === null) this.clinicProfile = profile;
      }
      questionnaire = await this.request(this.questionnairePath(), {
        lang: this.language,
        country: this.getAttribute("country") || (this.clinicProfile && this.clinicProfile.country),
      });
    } catch (error) {
      if (ticket === this.ticket) this.fail("load", error);
      return;
    }
    if (ticket !== this.ticket) return;
    this.questionnaire = questionnaire;
    this.succeeded();
    if (this.result) {
      this.previousState = null;
      await this.submit({ moveFocus: false });
      return;
    }
    const resume = this.previousState;
    this.previousState = null;
    if (resume === "emergency") {
      this.state = "emergency";
      this.render(true);
    } else {
      this.state = resume === "review" || resume === "submit-error" || resume === "sending" ? "review" : "step";
      // On first load focus stays where the host page has it; after a language switch it
      // moves to the (new) heading.
      this.render(Boolean(resume) || quiet);
    }
    this.fetchNoticeTexts();
  }

  async switchLanguage(language) {
    if (language === this.language) return;
    this.language = language;
    if (this.state !== "loading" && this.state !== "load-error") this.previousState = this.state;
    else if (!this.previousState) this.previousState = "step";
    await this.load();
  }

  skip() {
    return applicableQuestions(this.questionnaire, this.answers);
  }

  /**
   * The screens that apply now: consecutive sections share a screen while they stay short
   * (checklists of a few statements, or a lone short question that can join its neighbour).
   * A screen has the fields of its first section (id, title, intro) plus ``sections`` and
   * ``items`` (every item of its sections, in order).
   */
  steps() {
    const { applicable } = this.skip();
    const screens = [];
    for (const section of this.questionnaire.sections) {
      const shown = section.items.filter((item) => applicable.has(item.id));
      if (!shown.length) continue;
      const checklist = isChecklist(section);
      // A checklist's follow-ups appear only once a statement is ticked: they do not count.
      const size = checklist ? shown.filter(isStatement).length : shown.length;
      const last = screens[screens.length - 1];
      // The screen on show keeps its sections while answers on it change their sizes.
      const pin = this.pin;
      const pinnedHere = Boolean(pin && pin.includes(section.id));
      const lastPinned = Boolean(last && pin && last.sections.some((part) => pin.includes(part.id)));
      // A section not yet passed never joins a passed screen (nor the reverse): a question that
      // appears after its neighbour was answered gets a screen of its own, never skipped.
      const passed = this.passed.has(section.id);
      // A short section that appears while its neighbour is on show joins it (and stays).
      const absorbed = lastPinned && !pinnedHere && !passed && size <= LONE_QUESTIONS && last.size + size <= SCREEN_BUDGET;
      const joins = pinnedHere || lastPinned ? (pinnedHere && lastPinned) || absorbed : last && last.passed === passed
        && last.size + size <= SCREEN_BUDGET
        && ((checklist && last.checklist) || size <= LONE_QUESTIONS || last.size <= LONE_QUESTIONS);
      if (joins) {
        last.sections.push(section);
        last.items.push(...section.items);
        last.size += size;
        last.checklist = last.checklist && checklist;
        last.passed = last.passed && passed;
      } else {
        screens.push({
          id: section.id, title: section.title, intro: section.intro, sections: [section], items: [...section.items], size, checklist, passed,
        });
      }
    }
    return screens;
  }

  /** Where a section is now among the screens (-1 when none of its items applies). */
  screenOf(sectionId, screens = this.steps()) {
    return screens.findIndex((screen) => screen.sections.some((section) => section.id === sectionId));
  }

  // ---- failures and retries ----------------------------------------------------------

  cancelRetry() {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  succeeded() {
    this.attempts = 0;
    this.failure = null;
  }

  /** Show what failed (answers kept), with the safety line, and retry by itself when it may help. */
  fail(action, error) {
    this.cancelRetry();
    this.attempts += 1;
    const retryable = error instanceof RequestError ? error.retryable : true;
    const backoff = RETRY_BACKOFF_SECONDS[Math.min(this.attempts - 1, RETRY_BACKOFF_SECONDS.length - 1)];
    const delay = retryable ? (error && error.retryAfter) || backoff : null;
    const again = this.state === `${action}-error`;
    this.failure = { action, error, delay };
    if (again && this.root.getElementById("hps-failure-cause")) {
      // Failed again from the error screen: update it in place, focus stays where it is.
      this.root.getElementById("hps-failure-cause").textContent = this.failureText();
      this.root.getElementById("hps-retry-status").textContent = this.retryText();
    } else {
      this.state = `${action}-error`;
      this.render(true);
    }
    if (delay !== null) this.retryTimer = setTimeout(() => this.retry(), delay * 1000);
  }

  retry() {
    this.cancelRetry();
    const failure = this.failure;
    if (!failure) return;
    const status = this.root.getElementById("hps-retry-status");
    if (status) status.textContent = this.t.retrying;
    if (failure.action === "load") this.load(true);
    else if (failure.action === "check") this.check(true);
    else this.submit({ quiet: true });
  }

  failureText() {
    const t = this.t;
    const { action, error } = this.failure;
    const what = { load: t.loadFailed, check: t.checkFailed, submit: t.submitFailed }[action];
    let cause = t.causeServer;
    if (error instanceof RequestError) {
      if (error.kind === "network") cause = t.causeNetwork;
      else if (error.kind === "timeout" || error.status === 408) cause = t.causeTimeout;
      else if (error.status === 429 || error.status === 503) cause = t.causeBusy;
      else if (error.status < 500) cause = null;
    }
    return cause ? `${what} ${cause}` : what;
  }

  retryText() {
    return this.failure && this.failure.delay !== null ? this.t.retryIn(this.failure.delay) : "";
  }

  // ---- the early check after each screen -----------------------------------------------

  /** Optional questions on screens already passed (and the one just submitted) left unanswered. */
  skippedIds(effective) {
    const { applicable } = this.skip();
    const ids = [];
    for (const section of this.questionnaire.sections) {
      if (!this.passed.has(section.id) && !this.checkedIds.has(section.id)) continue;
      for (const item of section.items) {
        if (applicable.has(item.id) && !item.required && !isAnswered(effective, item.id)) ids.push(item.id);
      }
    }
    return ids;
  }

  async check(quiet = false) {
    this.cancelRetry();
    const ticket = ++this.ticket;
    if (!quiet) this.showChecking();
    const { effective } = this.skip();
    let progress = null;
    try {
      progress = await this.request(this.questionnairePath("/progress"), {}, { answers: effective, skipped: this.skippedIds(effective) });
    } catch (error) {
      if (ticket !== this.ticket) return;
      if (!(error instanceof RequestError) || error.retryable) {
        this.fail("check", error);
        return;
      }
      // Refused answers (4xx): the screening at the end reports them; do not hold the person here.
      progress = null;
    }
    if (ticket !== this.ticket) return;
    this.succeeded();
    for (const id of this.checkedIds) this.passed.add(id);
    this.afterCheck(progress);
  }

  showChecking() {
    this.state = "checking";
    this.setAttribute("data-state", "checking");
    const status = this.root.getElementById("hps-checking");
    if (status) status.textContent = this.t.checking;
    else this.render(false);
  }

  afterCheck(progress) {
    if (progress && LEVELS.includes(progress.minimum_level)) {
      const reasons = Array.isArray(progress.minimum_reasons) ? progress.minimum_reasons : [];
      this.minimum = { level: progress.minimum_level, reasons };
    } else if (progress) {
      this.minimum = null; // a server without the early check
    }
    const minimum = this.minimum;
    if (progress && minimum && (progress.should_stop === true || minimum.level === "emergency")) {
      if (this.emergencyKeys().some((key) => !this.acknowledged.has(key))) {
        this.state = "emergency";
        this.render(true);
        this.fetchNoticeTexts();
        return;
      }
    }
    this.advance();
    this.fetchNoticeTexts();
  }

  emergencyKeys() {
    return this.minimum && this.minimum.reasons.length ? this.minimum.reasons : ["emergency"];
  }

  /** On to the screen after the one just checked (or to the review). */
  advance() {
    const steps = this.steps();
    const position = this.screenOf(this.checkedId, steps);
    const at = position >= 0 ? position : this.index;
    this.errors = {};
    // After "Change" from the check-your-answers page: back there, unless the change opened
    // questions that still need an answer.
    const next = this.returnToReview ? this.firstIncomplete(steps, at + 1) : at + 1;
    if (next >= steps.length) {
      this.returnToReview = false;
      this.go("review");
    } else {
      this.index = next;
      this.go("step");
    }
  }

  changeAnswer() {
    const position = this.screenOf(this.checkedId);
    if (position >= 0) this.index = position;
    this.errors = {};
    this.go("step");
  }

  continueQuestions() {
    for (const key of this.emergencyKeys()) this.acknowledged.add(key);
    this.advance();
  }

  textsKey(kind) {
    const base = `${this.language}|${this.country}`;
    // The banner uses the level's next steps (the same for any answers); the emergency
    // screen shows the reasons, which depend on every answer.
    return kind === "urgent" ? `${base}|urgent_same_day` : `${base}|${JSON.stringify(this.skip().effective)}`;
  }

  textsFor(kind) {
    const cached = this.texts[kind];
    return cached && cached.key === this.textsKey(kind) ? cached : null;
  }

  /** The server's texts for the emergency screen or the urgent banner: a screening of the
   * answers so far. The widget's own strings stand in until they come, or if they cannot. */
  async fetchNoticeTexts() {
    const minimum = this.minimum;
    let kind = null;
    if (this.state === "emergency") kind = "emergency";
    else if (minimum && minimum.level === "urgent_same_day" && NOTICE_STATES.has(this.state)) kind = "urgent";
    if (kind === null) return;
    const key = this.textsKey(kind);
    if (!this.textsFor(kind)) {
      const { effective } = this.skip();
      let result = null;
      try {
        result = await this.request(this.questionnairePath("/screenings"), { lang: this.language, country: this.country }, { answers: effective });
      } catch (error) {
        result = null; // e.g. 422 where the server screens only complete answers: the widget's words stay
      }
      if (key !== this.textsKey(kind)) return; // the answers or the language changed meanwhile
      const wanted = kind === "emergency" ? "emergency" : "urgent_same_day";
      this.texts[kind] = { key, result: result && result.level === wanted ? result : null };
    }
    this.refreshNotice();
  }

  refreshNotice() {
    if (this.state === "emergency") {
      const slot = this.root.getElementById("hps-emergency-reasons");
      if (slot) slot.replaceWith(this.emergencyReasons());
    } else if (NOTICE_STATES.has(this.state)) {
      const notice = this.root.getElementById("hps-notice");
      if (notice && this.minimum && this.minimum.level === "urgent_same_day") notice.replaceWith(this.notice());
    }
    this.announceUrgent();
  }

  announceUrgent() {
    if (!this.minimum || this.minimum.level !== "urgent_same_day" || !NOTICE_STATES.has(this.state)) return;
    const key = this.emergencyKeys().join(",");
    if (this.announced.has(key)) return;
    this.announced.add(key);
    const text = this.t.urgentAnnounce(this.urgentTexts()[0]);
    this.live.textContent = "";
    setTimeout(() => { this.live.textContent = text; }, 50);
  }

  urgentTexts() {
    const cached = this.textsFor("urgent");
    const result = cached && cached.result;
    if (result && result.next_steps && result.next_steps.length) return result.next_steps.slice(0, 2);
    return [this.t.urgentFallback];
  }

  // ---- rendering -------------------------------------------------------------------

  render(moveFocus = false) {
    const t = this.t;
    this.view.replaceChildren();
    this.setAttribute("data-state", this.state);
    this.view.append(this.header());
    const failing = this.state.endsWith("-error");
    // The safety line is on every screen; in error states it sits inside the alert.
    if (!failing) this.view.append(this.safetyLine());
    if (NOTICE_STATES.has(this.state)) {
      const notice = this.notice();
      if (notice) this.view.append(notice);
    }
    if (this.state === "loading") {
      this.view.append(h("p", { role: "status" }, t.loading));
    } else if (failing) {
      this.renderFailure();
    } else if (STEP_STATES.has(this.state)) {
      this.renderStep();
    } else if (this.state === "emergency") {
      this.renderEmergency();
    } else if (this.state === "review") {
      this.renderReview();
    } else if (this.state === "sending") {
      this.view.append(h("h2", { tabindex: "-1" }, t.resultTitle), h("p", {}, t.sending));
    } else if (this.state === "result") {
      this.renderResult();
    }
    if (this.state !== "loading") {
      this.view.append(h("p", { class: "footer" }, h("a", {
        href: this.url("/accessibility", { lang: this.language }), target: "_blank", rel: "noopener",
      }, t.accessibility)));
    }
    if (this.language === "fr") frenchTypography(this.view);
    if (moveFocus) {
      const heading = this.view.querySelector("h2");
      if (heading) heading.focus();
    }
  }

  header() {
    const t = this.t;
    const select = h(
      "select",
      { id: "hps-lang", onchange: (event) => this.switchLanguage(event.target.value) },
      Object.keys(STRINGS).map((code) => h("option", { value: code, lang: code, selected: code === this.language }, LANGUAGE_NAMES[code])),
    );
    const bar = h("div", { class: "bar" });
    const steps = this.questionnaire && (STEP_STATES.has(this.state) || this.state === "review") ? this.steps() : null;
    const progress = steps ? this.progress(steps) : null;
    if (progress) {
      bar.append(h("p", { class: "progress-text", id: "hps-progress", "data-progress": progress.done, "data-minutes": progress.minutes },
        t.minutesLeft(progress.minutes)));
    } else {
      bar.append(h("span"));
    }
    bar.append(h("p", { class: "lang", lang: this.language }, h("label", { for: "hps-lang" }, `${t.language} `), select));
    const wrapper = h("div", {}, bar);
    if (progress) {
      const fill = h("div", { class: "fill" });
      fill.style.width = `${progress.done}%`;
      wrapper.append(h("div", { class: "track", "aria-hidden": "true" }, fill));
    }
    return wrapper;
  }

  /** Share done (a whole percentage) and about how many minutes are left, from the screens that
   * apply now (the check-your-answers page counts as one). Neither ever goes back: a tick that
   * opens more questions slows the bar rather than moving it back. */
  progress(steps) {
    const position = this.state === "review" ? steps.length : Math.min(this.index, steps.length - 1);
    const total = steps.length + 1;
    const done = Math.max(this.progressMark.done, Math.round((100 * position) / total));
    const minutes = Math.min(this.progressMark.minutes, Math.max(1, Math.ceil(((total - position) * SECONDS_PER_SCREEN) / 60)));
    this.progressMark = { done, minutes };
    return { done, minutes };
  }

  /** "If you think you need emergency help now, call N", N a tel: link; the server's sentence
   * (in the questionnaire's language) when it sends one. */
  safetyLine() {
    const number = this.emergencyNumber;
    const served = this.questionnaire && this.questionnaire.language === this.language ? this.questionnaire.safety_line : null;
    const text = served || this.t.safetyLine(number);
    const link = h("a", { href: telHref(number), class: "safety-call" }, number);
    const at = text.lastIndexOf(number);
    const parts = at >= 0 ? [text.slice(0, at), link, text.slice(at + number.length)] : [text, " ", link];
    return h("p", { class: "safety", id: "hps-safety" }, parts);
  }

  callLink(id) {
    const number = this.emergencyNumber;
    return h("a", { class: "button call", id, href: telHref(number) }, this.t.emergencyCall(number));
  }

  /** The emergency advice (after "Continue the questions") or the urgent banner, on top of later screens. */
  notice() {
    const t = this.t;
    const minimum = this.minimum;
    if (!minimum || !URGENT.has(minimum.level)) return null;
    if (minimum.level === "emergency") {
      return h("section", { class: "notice notice-emergency", id: "hps-notice", "aria-label": t.emergencyNoticeLabel, "data-notice": "emergency" },
        h("p", {}, h("span", { class: "icon", "aria-hidden": "true" }, `${ICONS.emergency} `), h("strong", {}, t.emergencyNotice)),
        h("p", {}, this.callLink("hps-notice-call")),
        h("p", {}, h("strong", {}, t.noDriving), ` ${t.noDrivingMore}`));
    }
    return h("div", { class: "notice notice-urgent", id: "hps-notice", role: "status", "data-notice": "urgent_same_day" },
      h("p", {}, h("span", { class: "icon", "aria-hidden": "true" }, `${ICONS.urgent_same_day} `), h("strong", {}, t.levels.urgent_same_day)),
      this.urgentTexts().map((text) => h("p", {}, text)),
      h("p", {}, t.urgentGoOn));
  }

  renderFailure() {
    const t = this.t;
    const action = this.failure ? this.failure.action : "load";
    let back = null;
    if (action === "check") back = h("button", { type: "button", onclick: () => this.changeAnswer() }, t.backToQuestions);
    else if (action === "submit") back = h("button", { type: "button", onclick: () => this.go("review") }, t.back);
    this.view.append(
      h("h2", { tabindex: "-1", id: "hps-failure-heading" }, t.errorsTitle),
      h("div", { class: "summary", role: "alert", id: "hps-failure" },
        h("p", { id: "hps-failure-cause" }, this.failure ? this.failureText() : t.loadFailed),
        this.safetyLine()),
      action === "load" ? null : h("p", {}, t.answersKept),
      h("p", { class: "status-line", id: "hps-retry-status", role: "status" }, this.retryText()),
      h("div", { class: "nav" }, back, h("button", { type: "button", class: "primary", id: "hps-retry", onclick: () => this.retry() }, t.retry)),
    );
  }

  renderStep() {
    const t = this.t;
    const steps = this.steps();
    this.index = Math.max(0, Math.min(this.index, steps.length - 1));
    const section = steps[this.index];
    if (this.pin) this.pin = section.sections.map((part) => part.id);
    const { applicable } = this.skip();
    const form = h("form", { novalidate: true, onsubmit: (event) => { event.preventDefault(); this.next(); } });
    const heading = h("h2", { tabindex: "-1", id: "hps-step-heading" }, section.title);
    this.view.append(heading);
    const problems = [
      ...section.sections.filter((part) => this.errors[`section:${part.id}`])
        .map((part) => ({ id: `section:${part.id}`, text: part.title, target: `hps-none-${part.id}` })),
      ...section.items.filter((item) => applicable.has(item.id) && this.errors[item.id])
        .map((item) => ({ id: item.id, text: item.text, target: null })),
    ];
    if (problems.length) {
      this.view.append(
        h("div", { class: "summary", role: "alert", tabindex: "-1", id: "hps-error-summary" },
          h("h3", {}, t.errorsTitle),
          h("ul", {}, problems.map((problem) => h("li", {}, h("a", {
            href: `#${problem.target || `hps-q-${problem.id}`}`,
            onclick: (event) => { event.preventDefault(); this.focusQuestion(problem.id, problem.target); },
          }, `${problem.text} ${this.errors[problem.id]}`))))),
      );
    }
    const groups = checklistGroups(section.sections);
    section.sections.forEach((part, n) => {
      const group = groups.find((candidate) => candidate.sections.includes(part));
      if (group && group.id !== part.id) return; // shown inside its group's checklist
      if (n > 0) form.append(h("h3", {}, part.title));
      if (part.intro) form.append(h("p", { class: "help" }, part.intro));
      if (group) form.append(this.renderChecklist(group, applicable));
      else for (const item of part.items) if (applicable.has(item.id)) form.append(this.renderItem(item));
    });
    form.append(
      h("div", { class: "nav" },
        this.index > 0 ? h("button", { type: "button", onclick: () => this.back() }, t.back) : null,
        h("button", { type: "submit", class: "primary" }, t.next)),
      h("p", { class: "status-line", id: "hps-checking", role: "status" }, this.state === "checking" ? t.checking : ""),
    );
    this.view.append(form);
  }

  focusQuestion(qid, id = null) {
    const target = id ? this.root.getElementById(id)
      : this.root.querySelector(`[data-statement="${qid}"]`) || this.root.querySelector(`[name="${qid}"]`);
    if (target) target.focus();
  }

  // ---- checklists --------------------------------------------------------------------

  statementTicked(item) {
    if (this.ticked.has(item.id)) return true;
    const value = this.answers[item.id];
    return isAnswered(this.answers, item.id) && !isNegative(item, value) && !isOtherAnswer(item, value);
  }

  /** The statement has one of the answers offered beside it (e.g. "Prefer not to say"). */
  otherChosen(item) {
    return !this.ticked.has(item.id) && isAnswered(this.answers, item.id) && isOtherAnswer(item, this.answers[item.id]);
  }

  /** "None of these" holds when every statement that applies has its negative answer; unless
   * ``strict``, a statement answered with an option beside it (e.g. "Prefer not to say") is
   * left out, as "None of these" leaves it. */
  noneChosen(section, applicable, strict = false) {
    const statements = section.items.filter((item) => isStatement(item) && applicable.has(item.id));
    const negative = (item) => !this.ticked.has(item.id) && isAnswered(this.answers, item.id) && isNegative(item, this.answers[item.id]);
    if (strict) return statements.length > 0 && statements.every(negative);
    const rest = statements.filter((item) => !this.otherChosen(item));
    return rest.length > 0 && rest.every(negative);
  }

  /** One fieldset: the statements (each with data-question), their follow-ups once ticked,
   * then "None of these apply to me"; a group's later sections under their own headings. */
  renderChecklist(section, applicable) {
    const t = this.t;
    const error = this.errors[`section:${section.id}`];
    const errorId = `hps-error-section-${section.id}`;
    const fieldset = h("fieldset", {
      class: `checklist${error ? " invalid" : ""}`, id: `hps-checklist-${section.id}`, "data-checklist": section.id,
      "aria-describedby": error ? errorId : null,
    }, h("legend", {}, section.prompt || t.checklistLegend), error ? h("p", { class: "error", id: errorId }, error) : null);
    for (const item of section.items) {
      const part = section.sections.find((candidate) => candidate.items[0] === item);
      if (part && part.id !== section.id && part.items.some((one) => applicable.has(one.id))) {
        fieldset.append(h("h3", { class: "part" }, part.title));
        if (part.intro) fieldset.append(h("p", { class: "help" }, part.intro));
      }
      if (!applicable.has(item.id)) continue;
      if (!isStatement(item)) {
        fieldset.append(h("div", { class: "follow-up" }, this.renderItem(item)));
        continue;
      }
      const ticked = this.statementTicked(item);
      const id = `hps-s-${item.id}`;
      const text = item.statement || item.text;
      // Answers offered beside the tick (e.g. "Prefer not to say"): a smaller choice on the same
      // line (below it on a phone); its name repeats the statement for a screen reader.
      const others = otherOptions(item).map((option, n) => {
        const otherId = `hps-o-${item.id}-${n}`;
        return h("div", { class: "choice other" },
          h("input", {
            type: "checkbox", id: otherId, name: `hps-other-${item.id}`, value: option.value, "data-other": item.id,
            checked: this.otherChosen(item) && [this.answers[item.id]].flat()[0] === option.value,
            onchange: (event) => this.chooseOther(item, option.value, event.target.checked, otherId),
          }),
          h("label", { for: otherId }, option.label, h("span", { class: "visually-hidden" }, ` (${text})`)));
      });
      const row = h("div", { class: "statement", "data-question": item.id },
        h("div", { class: others.length ? "statement-line" : null },
          h("div", { class: "choice" },
            h("input", {
              type: "checkbox", id, name: `hps-statement-${item.id}`, "data-statement": item.id, checked: ticked,
              onchange: (event) => this.tick(item, event.target.checked),
            }),
            h("label", { for: id }, text)),
          others));
      if (ticked && (item.ticked === null || item.ticked === undefined) && item.type !== "boolean") {
        row.append(h("div", { class: "follow-up" }, this.renderItem(item, { without: negativeOf(item) })));
      }
      fieldset.append(row);
    }
    const noneId = `hps-none-${section.id}`;
    fieldset.append(
      h("p", { class: "or", "aria-hidden": "true" }, t.or),
      h("div", { class: "choice none" },
        h("input", {
          type: "checkbox", id: noneId, name: `hps-none-${section.id}`, "data-none": section.id,
          checked: this.noneChosen(section, applicable), onchange: (event) => this.chooseNone(section, event.target.checked),
        }),
        h("label", { for: noneId }, t.noneOfThese)));
    return fieldset;
  }

  /** A statement was answered: its error and its lists' "choose one" errors go. */
  clearStatementErrors(item) {
    delete this.errors[item.id];
    for (const key of Object.keys(this.errors)) if (key.startsWith("section:")) delete this.errors[key];
  }

  tick(item, checked) {
    this.clearStatementErrors(item);
    if (checked) {
      if (item.ticked !== null && item.ticked !== undefined) this.answers[item.id] = item.ticked;
      else if (item.type === "boolean") this.answers[item.id] = true;
      else {
        this.ticked.add(item.id);
        if (isAnswered(this.answers, item.id) && isNegative(item, this.answers[item.id])) delete this.answers[item.id];
      }
    } else {
      this.ticked.delete(item.id);
      delete this.answers[item.id];
    }
    this.renderKeepingFocus(`hps-s-${item.id}`);
  }

  /** An answer offered beside a statement's tick (e.g. "Prefer not to say"): chosen, it
   * replaces the tick; "None of these" leaves it as it is. */
  chooseOther(item, value, checked, focusId) {
    this.clearStatementErrors(item);
    this.ticked.delete(item.id);
    if (checked) this.answers[item.id] = value;
    else delete this.answers[item.id];
    this.renderKeepingFocus(focusId);
  }

  chooseNone(section, checked) {
    const { applicable } = this.skip();
    delete this.errors[`section:${section.id}`];
    for (const item of section.items) {
      if (!isStatement(item)) continue;
      if (this.otherChosen(item)) continue; // e.g. "Prefer not to say" stays
      this.ticked.delete(item.id);
      delete this.errors[item.id];
      if (checked && applicable.has(item.id)) this.answers[item.id] = negativeOf(item);
      else delete this.answers[item.id];
    }
    this.renderKeepingFocus(`hps-none-${section.id}`);
  }

  renderKeepingFocus(id) {
    this.render(false);
    const again = this.root.getElementById(id);
    if (again) again.focus();
  }

  /** At Next: once any statement of a checklist is ticked (or answered with an option beside
   * its tick, e.g. "Prefer not to say"), the unticked ones get their negative answer (a red
   * flag is never left unanswered). Repeated while that changes which statements apply. */
  settleChecklists(screen) {
    for (let round = 0; round < 5; round += 1) {
      const { applicable } = this.skip();
      let changed = false;
      for (const group of checklistGroups(screen.sections)) {
        const statements = group.items.filter((item) => isStatement(item) && applicable.has(item.id));
        if (!statements.some((item) => this.statementTicked(item) || this.otherChosen(item))) continue;
        for (const item of statements) {
          if (!this.statementTicked(item) && !isAnswered(this.answers, item.id)) {
            this.answers[item.id] = negativeOf(item);
            changed = true;
          }
        }
      }
      if (!changed) return;
    }
  }

  /** The first screen from ``start`` not yet passed, or with a question or statement that
   * still needs an answer. */
  firstIncomplete(steps, start) {
    const { applicable } = this.skip();
    for (let n = start; n < steps.length; n += 1) {
      if (!steps[n].sections.every((section) => this.passed.has(section.id))) return n;
      const open = steps[n].items.some((item) => applicable.has(item.id) && !isAnswered(this.answers, item.id)
        && (item.required || isStatement(item)));
      if (open) return n;
    }
    return steps.length;
  }

  /** One question. A ticked checklist statement shows its own question as a follow-up:
   * ``nested`` without its "None of these" answer (``without``) and without data-question. */
  renderItem(item, { without = null } = {}) {
    const nested = without !== null;
    const t = this.t;
    const error = this.errors[item.id];
    const helpId = `hps-help-${item.id}`;
    const errorId = `hps-error-${item.id}`;
    const describedBy = [item.help ? helpId : null, error ? errorId : null].filter(Boolean).join(" ") || null;
    const legendText = [item.text, item.required ? null : t.optional].filter(Boolean).join(" ");
    const help = item.help ? h("p", { class: "help", id: helpId }, item.help) : null;
    const errorNode = error ? h("p", { class: "error", id: errorId }, error) : null;
    const value = this.answers[item.id];
    if (item.type === "integer") {
      const input = h("input", {
        type: "text", inputmode: "numeric", autocomplete: "off", id: `hps-q-${item.id}`, name: item.id,
        "aria-describedby": describedBy, "aria-invalid": error ? "true" : null, "aria-required": item.required ? "true" : null,
        oninput: (event) => this.setNumber(item, event.target.value),
      });
      input.value = value === undefined ? (this.drafts && this.drafts[item.id]) || "" : String(value);
      return h("div", { class: `field${error ? " invalid" : ""}` },
        h("label", { for: `hps-q-${item.id}` }, legendText), help, errorNode, input);
    }
    if (item.type === "scale") {
      // A slider the width of the row with a 44-pixel thumb: 11 buttons of 44 pixels would not
      // fit a 375-pixel phone. No answer until the person sets it (a tap, a key, a drag).
      const answered = typeof value === "number";
      const slider = h("input", {
        type: "range", id: `hps-q-${item.id}`, name: item.id, min: item.min, max: item.max, step: 1,
        class: answered ? "slider" : "slider unset", "aria-describedby": describedBy,
        "aria-invalid": error ? "true" : null, "aria-required": item.required ? "true" : null,
        "aria-valuetext": answered ? this.scaleText(item, value) : t.notAnswered,
        oninput: (event) => this.chooseNumber(item, event.target),
        onclick: (event) => this.chooseNumber(item, event.target),
        onkeyup: (event) => { if (SLIDER_KEYS.has(event.key)) this.chooseNumber(item, event.target); },
      });
      slider.value = String(answered ? value : item.min);
      const ticks = [];
      for (let n = item.min; n <= item.max; n += 1) ticks.push(h("span", {}, String(n)));
      return h("div", { class: `field scale${error ? " invalid" : ""}` },
        h("label", { for: `hps-q-${item.id}` }, legendText), help, errorNode,
        h("p", { class: "scale-value", id: `hps-value-${item.id}` }, answered ? this.scaleText(item, value) : t.notAnswered),
        slider,
        h("div", { class: "ticks", "aria-hidden": "true" }, ticks),
        item.min_label || item.max_label ? h("p", { class: "scale-ends" },
          h("span", {}, t.pair(item.min, item.min_label || "")), h("span", {}, t.pair(item.max, item.max_label || ""))) : null);
    }
    const fieldset = h("fieldset", {
      id: nested ? `hps-q-${item.id}-choices` : `hps-q-${item.id}`, class: error ? "invalid" : null,
      "aria-describedby": describedBy, "aria-invalid": error ? "true" : null, "data-question": nested ? null : item.id,
    }, h("legend", { class: nested ? "visually-hidden" : null }, legendText), help, errorNode);
    let choices;
    if (item.type === "boolean") {
      choices = [{ value: "true", label: t.yes, checked: value === true }, { value: "false", label: t.no, checked: value === false }];
    } else {
      const chosen = Array.isArray(value) ? value : [value];
      const hidden = new Set(nested ? [without].flat() : []);
      choices = item.options.filter((option) => !hidden.has(option.value))
        .map((option) => ({ value: option.value, label: option.label, checked: chosen.includes(option.value) }));
    }
    const kind = item.type === "multi_choice" ? "checkbox" : "radio";
    const group = h("div", { class: "choices" });
    choices.forEach((choice, n) => {
      const id = `hps-q-${item.id}-${n}`;
      group.append(h("div", { class: "choice" },
        h("input", {
          type: kind, id, name: item.id, value: choice.value, checked: choice.checked,
          required: item.required && kind === "radio" ? true : null,
          onchange: (event) => this.choose(item, event.target),
        }),
        h("label", { for: id }, choice.label)));
    });
    fieldset.append(group);
    return fieldset;
  }

  choose(item, input) {
    delete this.errors[item.id];
    if (item.type === "boolean") this.answers[item.id] = input.value === "true";
    else if (item.type === "scale") this.answers[item.id] = Number(input.value);
    else if (item.type === "single_choice") this.answers[item.id] = input.value;
    else {
      const exclusive = new Set(item.exclusive || []);
      let chosen = Array.isArray(this.answers[item.id]) ? [...this.answers[item.id]] : [];
      if (input.checked) {
        chosen = exclusive.has(input.value) ? [input.value] : chosen.filter((option) => !exclusive.has(option));
        chosen.push(input.value);
      } else {
        chosen = chosen.filter((option) => option !== input.value);
      }
      chosen = [...new Set(chosen)];
      if (chosen.length) this.answers[item.id] = chosen;
      else delete this.answers[item.id];
      for (const box of this.root.querySelectorAll(`input[name="${item.id}"]`)) box.checked = chosen.includes(box.value);
    }
    this.refreshIfSkipChanged();
  }

  scaleText(item, value) {
    const words = value === item.min ? item.min_label : value === item.max ? item.max_label : null;
    return words ? this.t.pair(value, words) : String(value);
  }

  chooseNumber(item, slider) {
    delete this.errors[item.id];
    const value = Number(slider.value);
    this.answers[item.id] = value;
    const text = this.scaleText(item, value);
    slider.classList.remove("unset");
    slider.setAttribute("aria-valuetext", text);
    const shown = this.root.getElementById(`hps-value-${item.id}`);
    if (shown) shown.textContent = this.language === "fr" ? frenchSpacing(text) : text;
    this.refreshIfSkipChanged();
  }

  setNumber(item, text) {
    this.drafts = this.drafts || {};
    this.drafts[item.id] = text;
    const trimmed = text.trim();
    if (/^-?[0-9]{1,4}$/.test(trimmed)) this.answers[item.id] = Number(trimmed);
    else delete this.answers[item.id];
    this.refreshIfSkipChanged();
  }

  // Questions in the current step that appear or disappear as answers change.
  refreshIfSkipChanged() {
    if (!STEP_STATES.has(this.state)) return;
    const section = this.steps()[this.index];
    const { applicable } = this.skip();
    const shown = [...this.root.querySelectorAll("[data-question], .field input")].map((node) => node.getAttribute("data-question") || node.name);
    const wanted = section ? section.items.filter((item) => applicable.has(item.id)).map((item) => item.id) : [];
    if (shown.join(",") === wanted.join(",")) return;
    const active = this.root.activeElement;
    const focus = active && active.id;
    this.render(false);
    if (focus) {
      const again = this.root.getElementById(focus);
      if (again) again.focus();
    }
  }

  validate(section) {
    const t = this.t;
    const { applicable } = this.skip();
    const errors = {};
    for (const part of checklistGroups(section.sections || [section])) {
      const statements = part.items.filter((item) => isStatement(item) && applicable.has(item.id));
      if (statements.some((item) => !isAnswered(this.answers, item.id) && !this.ticked.has(item.id))) {
        errors[`section:${part.id}`] = t.checklistRequired;
      }
    }
    for (const item of section.items) {
      if (!applicable.has(item.id)) continue;
      if (isStatement(item)) {
        if (this.ticked.has(item.id) && !isAnswered(this.answers, item.id)) errors[item.id] = t.chooseOne;
        continue;
      }
      const draft = this.drafts && this.drafts[item.id];
      const answered = this.answers[item.id] !== undefined;
      if (item.type === "integer" && (answered || (draft && draft.trim()))) {
        const number = this.answers[item.id];
        const low = item.min ?? 0;
        const high = item.max ?? 9999;
        if (!answered || number < low || number > high) errors[item.id] = t.wholeNumber(low, high);
      } else if (item.required && !answered) {
        errors[item.id] = t.required;
      }
    }
    return errors;
  }

  next() {
    if (this.state !== "step") return; // a check is already under way
    const section = this.steps()[this.index];
    this.settleChecklists(section);
    this.errors = this.validate(section);
    if (Object.keys(this.errors).length) {
      this.render(false);
      const summary = this.root.getElementById("hps-error-summary");
      if (summary) summary.focus();
      return;
    }
    // Check the answers so far before going on: an emergency is shown at once.
    this.checkedId = section.id;
    this.checkedIds = new Set(section.sections.map((part) => part.id));
    this.check();
  }

  back() {
    this.ticket += 1; // a check under way no longer matters
    this.errors = {};
    this.index = Math.max(0, this.index - 1);
    this.go("step");
  }

  go(state) {
    this.cancelRetry();
    this.pin = null;
    if (state === "step") {
      const steps = this.steps();
      const screen = steps[Math.max(0, Math.min(this.index, steps.length - 1))];
      this.pin = screen ? screen.sections.map((section) => section.id) : null;
    }
    this.state = state;
    this.render(true);
  }

  answerText(item, value) {
    const t = this.t;
    if (value === undefined) return t.notAnswered;
    if (item.type === "boolean") return value ? t.yes : t.no;
    if (item.type === "integer" || item.type === "scale") return String(value);
    const labels = Object.fromEntries(item.options.map((option) => [option.value, option.label]));
    return (Array.isArray(value) ? value : [value]).map((option) => labels[option] || option).join(", ");
  }

  /** Compact: one line per answer, grouped by section; a checklist answered "None of these" is
   * one line. Each line's Change opens its screen, and Next there comes back here. */
  renderReview() {
    const t = this.t;
    const { applicable } = this.skip();
    this.view.append(h("h2", { tabindex: "-1" }, t.review), h("p", {}, t.reviewIntro));
    const steps = this.steps();
    for (const screen of steps) {
      const groups = checklistGroups(screen.sections);
      for (const section of screen.sections) {
        // A checklist group (one list with one "None of these" on its screen) is one part here.
        const group = groups.find((candidate) => candidate.sections.includes(section)) || null;
        if (group && group.id !== section.id) continue;
        const part = group || section;
        const checklist = Boolean(group);
        const shown = part.items.filter((item) => applicable.has(item.id));
        if (!shown.length) continue;
        const title = (group ? group.sections : [section]).map((one) => one.title).join(" · ");
        const rows = [];
        const line = (key, text, answer, focusId) => rows.push(h("div", { class: "answer-row", "data-answer": key },
          h("dt", {}, text), h("dd", {}, answer),
          h("dd", { class: "change" }, h("button", {
            type: "button", class: "link", "aria-label": t.changeAnswerOf(text),
            onclick: () => this.changeFromReview(section.id, focusId),
          }, t.change))));
        if (checklist && this.noneChosen(part, applicable, true)) {
          // "None of these" is one line under no heading of its own: the line names the lists.
          line(part.id, title, t.noneOfThese, `hps-none-${part.id}`);
          this.view.append(h("dl", { class: "answers compact" }, rows));
          continue;
        }
        let others = 0;
        for (const item of shown) {
          if (checklist && isStatement(item) && isNegative(item, this.answers[item.id])) {
            others += 1;
            continue;
          }
          const focusId = checklist && isStatement(item) ? `hps-s-${item.id}` : `hps-q-${item.id}`;
          line(item.id, (checklist && item.statement) || item.text, this.answerText(item, this.answers[item.id]), focusId);
        }
        if (others) line(`${part.id}:others`, t.othersNo, t.no, `hps-none-${part.id}`);
        this.view.append(h("h3", {}, title), h("dl", { class: "answers compact" }, rows));
      }
    }
    this.view.append(h("div", { class: "nav" },
      h("button", { type: "button", class: "primary", id: "hps-submit", onclick: () => this.submit() }, t.submit),
      h("button", { type: "button", onclick: () => { this.index = steps.length - 1; this.go("step"); } }, t.back)));
  }

  changeFromReview(sectionId, focusId) {
    const position = this.screenOf(sectionId);
    if (position < 0) return;
    this.index = position;
    this.errors = {};
    this.returnToReview = true;
    this.go("step");
    const qid = focusId.replace(/^hps-[qs]-/, "");
    const target = this.root.querySelector(`[data-other="${qid}"]:checked`) || this.root.querySelector(`[data-statement="${qid}"]`)
      || this.root.querySelector(`[name="${qid}"]:checked`)
      || this.root.querySelector(`[name="${qid}"]`) || this.root.getElementById(focusId);
    if (target) target.focus();
  }

  async submit({ quiet = false, moveFocus = true } = {}) {
    this.cancelRetry();
    const ticket = ++this.ticket;
    const { effective } = this.skip();
    if (!quiet) {
      this.state = "sending";
      this.render(moveFocus);
    }
    let result;
    try {
      result = await this.request(this.questionnairePath("/screenings"), { lang: this.language, country: this.country }, { answers: effective });
    } catch (error) {
      if (ticket === this.ticket) this.fail("submit", error);
      return;
    }
    if (ticket !== this.ticket) return;
    this.succeeded();
    this.result = result;
    this.resultAt = new Date();
    this.state = "result";
    this.render(true);
    const label = this.t.levels[this.result.level] || this.result.level;
    this.live.textContent = "";
    setTimeout(() => { this.live.textContent = this.t.resultAnnounce(label, this.result.headline); }, 50);
  }

  /** Reasons at the result's level first, then the others under "Also worth mentioning". */
  reasonLists(result, title) {
    const t = this.t;
    const reasons = result.reasons || [];
    const main = reasons.filter((reason) => !reason.level || reason.level === result.level);
    const others = reasons.filter((reason) => reason.level && reason.level !== result.level);
    const list = (items) => h("ul", { class: "reasons" }, items.map((reason) => this.reasonItem(reason)));
    return [
      main.length ? [h("h3", {}, title), list(main)] : null,
      // The rule set's reviewed heading when the server sends it; the widget's own otherwise.
      others.length ? [h("h3", {}, result.also_worth_mentioning_heading || t.alsoWorth), list(others)] : null,
    ];
  }

  reasonItem(reason) {
    const t = this.t;
    const { applicable, byId } = this.skip();
    const answered = (reason.questions || []).filter((qid) => byId[qid] && applicable.has(qid) && isAnswered(this.answers, qid));
    return h("li", { "data-rule": reason.rule_id },
      h("p", {}, reason.text),
      reason.why ? h("details", {}, h("summary", {}, t.why), h("p", {}, reason.why)) : null,
      // On paper: what the person answered that led to this reason.
      answered.length ? h("div", { class: "print-only reason-answers" },
        h("p", {}, h("strong", {}, t.yourAnswers)),
        h("dl", { class: "answers" }, answered.map((qid) => [
          h("dt", {}, byId[qid].text), h("dd", {}, this.answerText(byId[qid], this.answers[qid]))]))) : null);
  }

  emergencyReasons() {
    const t = this.t;
    const slot = h("div", { id: "hps-emergency-reasons" });
    const cached = this.textsFor("emergency");
    if (!cached) slot.append(h("p", { class: "status-line" }, t.reasonsLoading));
    else if (cached.result) slot.append(...this.reasonLists(cached.result, t.emergencyWhy).flat().filter(Boolean));
    return slot;
  }

  renderEmergency() {
    const t = this.t;
    const section = h("section", { class: "emergency", "data-level": "emergency", "aria-labelledby": "hps-emergency-heading" },
      h("p", { class: "level level-emergency", id: "hps-emergency-level" },
        h("span", { class: "icon", "aria-hidden": "true" }, ICONS.emergency), h("span", {}, t.levels.emergency)),
      h("h2", { tabindex: "-1", id: "hps-emergency-heading", "aria-describedby": "hps-emergency-level" }, t.emergencyHeadline),
      h("div", { class: "act" },
        h("p", {}, this.callLink("hps-emergency-call")),
        h("p", {}, h("strong", {}, t.noDriving), ` ${t.noDrivingMore}`)),
      this.emergencyReasons(),
      h("p", {}, t.emergencyChoice),
      h("div", { class: "nav" },
        h("button", { type: "button", id: "hps-change-answer", onclick: () => this.changeAnswer() }, t.changeAnswer),
        h("button", { type: "button", class: "primary", id: "hps-continue", onclick: () => this.continueQuestions() }, t.continueQuestions)));
    this.view.append(section);
  }

  formatWhen(date) {
    const options = { dateStyle: "long", timeStyle: "short" };
    try {
      return new Intl.DateTimeFormat(`${this.language}-${this.country.toUpperCase()}`, options).format(date);
    } catch (error) {
      return new Intl.DateTimeFormat(this.language, options).format(date);
    }
  }

  renderResult() {
    const t = this.t;
    const result = this.result;
    const urgent = URGENT.has(result.level);
    const label = t.levels[result.level] || result.level;
    const section = h("section", { class: "result", "data-level": result.level, "aria-labelledby": "hps-result-heading" });
    section.append(
      h("p", { class: "print-only", id: "hps-printed-at" }, t.summaryOf(this.formatWhen(this.resultAt || new Date()))),
      h("p", { class: `level level-${result.level}`, id: "hps-level" },
        h("span", { class: "icon", "aria-hidden": "true" }, ICONS[result.level] || "ℹ"), h("span", {}, label)),
      h("h2", { tabindex: "-1", id: "hps-result-heading", "aria-describedby": "hps-level" }, result.headline),
    );
    const nextSteps = result.next_steps && result.next_steps.length
      ? [h("h3", {}, t.nextSteps), h("ul", {}, result.next_steps.map((step) => h("li", {}, step)))]
      : [];
    if (urgent) section.append(...nextSteps);
    section.append(...this.reasonLists(result, t.reasons).flat().filter(Boolean));
    const findings = Object.values(result.findings || {}).filter((finding) => finding.status !== "none");
    section.append(h("h3", {}, t.findings));
    if (findings.length) {
      section.append(h("dl", { class: "answers" }, findings.map((finding) => [
        h("dt", {}, t.pair(finding.label, t.status[finding.status] || finding.status)), h("dd", {}, finding.text)])));
    } else {
      section.append(h("p", {}, t.noFindings));
    }
    if (result.advice && result.advice.length) {
      section.append(h("h3", {}, t.advice), h("ul", {}, result.advice.map((advice) => h("li", {}, advice.text))));
    }
    if (!urgent) section.append(...nextSteps);
    const clinic = this.clinicProfile;
    if (clinic && !urgent) {
      const links = [];
      if (clinic.booking_url) links.push(h("a", { class: "button primary", href: clinic.booking_url, target: "_blank", rel: "noopener noreferrer" }, t.book));
      if (clinic.phone) links.push(h("a", { class: "button", href: telHref(clinic.phone) }, t.call(clinic.phone)));
      section.append(h("div", { class: "cta" }, h("h3", {}, t.clinicCta(clinic.name)), h("div", { class: "nav" }, links)));
    }
    if (clinic && (clinic.phone || clinic.booking_url)) {
      // On paper the clinic's contact details are written out (links cannot be followed).
      section.append(h("div", { class: "print-only", id: "hps-print-clinic" },
        h("p", {}, h("strong", {}, clinic.name)),
        clinic.phone ? h("p", {}, t.clinicPhone(clinic.phone)) : null,
        clinic.booking_url ? h("p", {}, `${t.clinicBooking} ${clinic.booking_url}`) : null));
    }
    if (result.receipt) {
      // The signed receipt, on screen and on paper: QR code, verify link, downloads (receipt-view.js, #17).
      const receipt = h("div", { class: "receipt", id: "hps-receipt" });
      section.append(receipt);
      import("./receipt-view.js").then(({ renderReceipt }) => renderReceipt(receipt, result.receipt,
        { apiBase: this.apiBase || location.origin, lang: this.language, clinic: this.getAttribute("clinic"), headingLevel: 3 }))
        .catch(() => receipt.remove());
    }
    section.append(h("p", { class: "disclaimer" }, result.disclaimer));
    if (result.ruleset) section.append(h("p", { class: "meta", id: "hps-ruleset" }, t.ruleset(result.ruleset.id, result.ruleset.version)));
    section.append(h("div", { class: "nav no-print" },
      h("button", { type: "button", onclick: () => window.print() }, t.print),
      h("button", { type: "button", onclick: () => this.restart() }, t.restart)));
    this.view.append(section);
  }

  /** A person's answers and where they are: empty at the start and after "Start again". */
  resetJourney() {
    this.answers = {};
    this.drafts = {};
    this.errors = {};
    this.index = 0;
    this.result = null;
    this.resultAt = null;
    // The early check (POST .../progress after each screen): the least urgent level the
    // answers so far can still lead to, and the emergency reasons the person chose to go on
    // after. texts: the server's words for the emergency screen and the urgent banner.
    this.minimum = null;
    this.acknowledged = new Set();
    this.announced = new Set();
    this.texts = {};
    this.passed = new Set();
    this.checkedId = null;
    this.checkedIds = new Set();
    // Checklist statements ticked whose answer is still to be chosen (the answer is not set yet).
    this.ticked = new Set();
    this.returnToReview = false;
    // Progress only moves forward: the highest share done and the fewest minutes left shown.
    this.progressMark = { done: 0, minutes: Infinity };
    this.pin = null;
  }

  restart() {
    this.ticket += 1;
    this.resetJourney();
    this.live.textContent = "";
    this.go("step");
  }
}

if (typeof customElements !== "undefined" && !customElements.get("hip-pelvic-screener")) customElements.define("hip-pelvic-screener", HipPelvicScreener);
