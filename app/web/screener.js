// <hip-pelvic-screener>: an embeddable, non-diagnostic hip and pelvic floor screener.
// One ES module, no build step, no third-party code. It talks only to its api-base and
// stores nothing in the browser (no cookies, no web storage).
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

const STRINGS = {
  en: {
    language: "Language",
    loading: "Loading the questions…",
    loadFailed: "The questions could not be loaded. Check your connection and try again.",
    retry: "Try again",
    step: (n, total) => `Step ${n} of ${total}`,
    back: "Back",
    next: "Next",
    review: "Check your answers",
    reviewIntro: "Check your answers before you see the result. You can change any of them.",
    change: "Change",
    changeSection: (title) => `Change answers in ${title}`,
    notAnswered: "Not answered",
    submit: "See my result",
    sending: "Working out your result…",
    submitFailed: "Your result could not be worked out. Try again.",
    yes: "Yes",
    no: "No",
    optional: "(optional)",
    errorsTitle: "There is a problem",
    required: "Answer this question.",
    wholeNumber: (min, max) => `Enter a whole number from ${min} to ${max}.`,
    resultTitle: "Your result",
    resultAnnounce: (label, headline) => `Your result: ${label}. ${headline}`,
    reasons: "Why this result",
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
    loadFailed: "Les questions n’ont pas pu être chargées. Vérifiez votre connexion et réessayez.",
    retry: "Réessayer",
    step: (n, total) => `Étape ${n} sur ${total}`,
    back: "Retour",
    next: "Suivant",
    review: "Vérifiez vos réponses",
    reviewIntro: "Vérifiez vos réponses avant de voir le résultat. Vous pouvez les modifier.",
    change: "Modifier",
    changeSection: (title) => `Modifier les réponses : ${title}`,
    notAnswered: "Sans réponse",
    submit: "Voir mon résultat",
    sending: "Calcul de votre résultat…",
    submitFailed: "Votre résultat n’a pas pu être calculé. Réessayez.",
    yes: "Oui",
    no: "Non",
    optional: "(facultatif)",
    errorsTitle: "Il y a un problème",
    required: "Répondez à cette question.",
    wholeNumber: (min, max) => `Saisissez un nombre entier de ${min} à ${max}.`,
    resultTitle: "Votre résultat",
    resultAnnounce: (label, headline) => `Votre résultat : ${label}. ${headline}`,
    reasons: "Pourquoi ce résultat",
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
    status: { none: "Aucun", some: "Quelques-uns", marked: "Marqués" },
    levels: {
      emergency: "Urgence : agissez maintenant",
      urgent_same_day: "Urgent : consultez aujourd’hui",
      prompt_medical_review: "Consultez un médecin rapidement",
      recommend_pelvic_floor_physio: "Kinésithérapie périnéale recommandée",
      consider_pelvic_floor_physio: "La kinésithérapie périnéale peut aider",
      general_advice: "Conseils généraux",
    },
  },
};
const LANGUAGE_NAMES = { en: "English", fr: "Français" };
const URGENT = new Set(["emergency", "urgent_same_day"]);
const ICONS = {
  emergency: "⚠",
  urgent_same_day: "⚠",
  prompt_medical_review: "!",
  recommend_pelvic_floor_physio: "➜",
  consider_pelvic_floor_physio: "➜",
  general_advice: "ℹ",
};

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
h2:focus { outline: 3px solid var(--hps-accent, #0b5fff); outline-offset: 2px; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
fieldset, .field { border: 1px solid #c8c8c8; border-radius: var(--hps-radius, 8px); margin: 0 0 1rem; padding: .75rem 1rem 1rem; min-width: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
.field > label { display: block; font-weight: 600; }
.help { color: var(--hps-muted, #4a4a4a); margin: .25rem 0 .5rem; }
.choice { display: flex; align-items: flex-start; gap: .5rem; padding: .35rem 0; }
.choice input { width: 1.25rem; height: 1.25rem; margin: .15rem 0 0; flex: none; accent-color: var(--hps-accent, #0b5fff); }
.scale { display: flex; flex-wrap: wrap; gap: .25rem .75rem; }
.scale-labels { display: flex; justify-content: space-between; gap: 1rem; color: var(--hps-muted, #4a4a4a); font-size: .9rem; }
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
select { font: inherit; padding: .25rem; }
dl.answers { margin: 0 0 .5rem; }
dl.answers dt { font-weight: 600; margin-top: .5rem; }
dl.answers dd { margin: 0; }
.level { display: flex; gap: .75rem; align-items: center; padding: .75rem 1rem; border-radius: var(--hps-radius, 8px); border: 3px solid; font-weight: 700; }
.level .icon { font-size: 1.5rem; line-height: 1; }
.level-emergency, .level-urgent_same_day { border-color: var(--hps-danger, #b00020); background: #fdecee; color: #7a0016; }
.level-prompt_medical_review { border-color: var(--hps-warning, #8a5a00); background: #fff5e0; color: #5c3c00; }
.level-recommend_pelvic_floor_physio, .level-consider_pelvic_floor_physio, .level-general_advice { border-color: var(--hps-ok, #1d6b36); background: #eaf6ee; color: #124422; }
.cta { border: 2px solid var(--hps-accent, #0b5fff); border-radius: var(--hps-radius, 8px); padding: .75rem 1rem; margin: 1rem 0; }
.disclaimer { border-left: 4px solid var(--hps-muted, #4a4a4a); padding-left: .75rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  :host { max-width: none; color: #000; background: #fff; }
  .bar, .nav, .no-print, .cta button { display: none !important; }
  details > *:not(summary) { display: block; }
  .level { border-color: #000; background: #fff; color: #000; }
}
`;

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
    this.answers = {};
    this.state = "loading";
    this.index = 0;
    this.errors = {};
    this.questionnaire = null;
    this.clinicProfile = null;
    this.result = null;
    this.language = null;
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

  connectedCallback() {
    if (this.started) return;
    this.started = true;
    this.language = this.pickLanguage(this.getAttribute("lang"));
    this.load();
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

  async request(path, params, body) {
    const init = { credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(this.url(path, params), init);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async load() {
    this.state = "loading";
    this.render();
    try {
      const clinic = this.getAttribute("clinic");
      if (clinic && this.clinicProfile === null) {
        this.clinicProfile = await this.request(`/widget/v1/clinics/${encodeURIComponent(clinic)}.json`).catch(() => null);
      }
      this.questionnaire = await this.request(`/v1/questionnaires/${encodeURIComponent(this.questionnaireId)}`, {
        lang: this.language,
        country: this.getAttribute("country") || (this.clinicProfile && this.clinicProfile.country),
      });
      if (this.result) {
        await this.submit(false);
      } else {
        const resume = this.previousState;
        this.state = resume === "review" || resume === "submit-error" ? "review" : "step";
        // On first load focus stays where the host page has it; after a language switch it
        // moves to the (new) heading.
        this.render(Boolean(resume));
      }
    } catch (error) {
      this.state = "load-error";
      this.render(true);
    }
  }

  async switchLanguage(language) {
    if (language === this.language) return;
    this.language = language;
    this.previousState = this.state === "loading" || this.state === "load-error" ? "step" : this.state;
    await this.load();
    this.previousState = null;
  }

  skip() {
    return applicableQuestions(this.questionnaire, this.answers);
  }

  steps() {
    const { applicable } = this.skip();
    return this.questionnaire.sections.filter((section) => section.items.some((item) => applicable.has(item.id)));
  }

  // ---- rendering -------------------------------------------------------------------

  render(moveFocus = false) {
    const t = this.t;
    this.view.replaceChildren();
    this.setAttribute("data-state", this.state);
    this.view.append(this.header());
    if (this.state === "loading") {
      this.view.append(h("p", { role: "status" }, t.loading));
    } else if (this.state === "load-error") {
      this.view.append(
        h("h2", { tabindex: "-1" }, t.errorsTitle),
        h("p", { role: "alert" }, t.loadFailed),
        h("button", { type: "button", onclick: () => this.load() }, t.retry),
      );
    } else if (this.state === "step") {
      this.renderStep();
    } else if (this.state === "review") {
      this.renderReview();
    } else if (this.state === "sending") {
      this.view.append(h("h2", { tabindex: "-1" }, t.resultTitle), h("p", {}, t.sending));
    } else if (this.state === "result") {
      this.renderResult();
    } else if (this.state === "submit-error") {
      this.view.append(
        h("h2", { tabindex: "-1" }, t.errorsTitle),
        h("p", { role: "alert" }, t.submitFailed),
        h("div", { class: "nav" },
          h("button", { type: "button", onclick: () => this.go("review") }, t.back),
          h("button", { type: "button", class: "primary", onclick: () => this.submit() }, t.retry)),
      );
    }
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
    const steps = this.questionnaire && this.state === "step" ? this.steps() : null;
    if (steps) {
      const current = Math.min(this.index, steps.length - 1) + 1;
      bar.append(h("p", { class: "progress-text" }, t.step(current, steps.length + 1)));
    } else if (this.state === "review" && this.questionnaire) {
      const total = this.steps().length + 1;
      bar.append(h("p", { class: "progress-text" }, t.step(total, total)));
    } else {
      bar.append(h("span"));
    }
    bar.append(h("p", { class: "lang", lang: this.language }, h("label", { for: "hps-lang" }, `${t.language} `), select));
    const wrapper = h("div", {}, bar);
    if (steps) {
      const ratio = (Math.min(this.index, steps.length - 1) + 1) / (steps.length + 1);
      const fill = h("div", { class: "fill" });
      fill.style.width = `${Math.round(ratio * 100)}%`;
      wrapper.append(h("div", { class: "track", "aria-hidden": "true" }, fill));
    }
    return wrapper;
  }

  renderStep() {
    const t = this.t;
    const steps = this.steps();
    this.index = Math.max(0, Math.min(this.index, steps.length - 1));
    const section = steps[this.index];
    const { applicable } = this.skip();
    const form = h("form", { novalidate: true, onsubmit: (event) => { event.preventDefault(); this.next(); } });
    const heading = h("h2", { tabindex: "-1", id: "hps-step-heading" }, section.title);
    this.view.append(heading);
    const problems = section.items.filter((item) => applicable.has(item.id) && this.errors[item.id]);
    if (problems.length) {
      this.view.append(
        h("div", { class: "summary", role: "alert", tabindex: "-1", id: "hps-error-summary" },
          h("h3", {}, t.errorsTitle),
          h("ul", {}, problems.map((item) => h("li", {}, h("a", {
            href: `#hps-q-${item.id}`,
            onclick: (event) => { event.preventDefault(); this.focusQuestion(item.id); },
          }, `${item.text} ${this.errors[item.id]}`))))),
      );
    }
    if (section.intro) form.append(h("p", { class: "help" }, section.intro));
    for (const item of section.items) if (applicable.has(item.id)) form.append(this.renderItem(item));
    form.append(
      h("div", { class: "nav" },
        this.index > 0 ? h("button", { type: "button", onclick: () => this.back() }, t.back) : null,
        h("button", { type: "submit", class: "primary" }, t.next)),
    );
    this.view.append(form);
  }

  focusQuestion(qid) {
    const target = this.root.querySelector(`[name="${qid}"]`);
    if (target) target.focus();
  }

  renderItem(item) {
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
    const fieldset = h("fieldset", {
      id: `hps-q-${item.id}`, class: error ? "invalid" : null, "aria-describedby": describedBy,
      "aria-invalid": error ? "true" : null, "data-question": item.id,
    }, h("legend", {}, legendText), help, errorNode);
    let choices;
    if (item.type === "boolean") {
      choices = [{ value: "true", label: t.yes, checked: value === true }, { value: "false", label: t.no, checked: value === false }];
    } else if (item.type === "scale") {
      choices = [];
      for (let n = item.min; n <= item.max; n += 1) choices.push({ value: String(n), label: String(n), checked: value === n });
    } else {
      const chosen = Array.isArray(value) ? value : [value];
      choices = item.options.map((option) => ({ value: option.value, label: option.label, checked: chosen.includes(option.value) }));
    }
    const kind = item.type === "multi_choice" ? "checkbox" : "radio";
    const group = h("div", { class: item.type === "scale" ? "scale" : "choices" });
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
    if (item.type === "scale" && (item.min_label || item.max_label)) {
      fieldset.append(h("p", { class: "scale-labels" },
        h("span", {}, `${item.min}: ${item.min_label || ""}`), h("span", {}, `${item.max}: ${item.max_label || ""}`)));
    }
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
    for (const item of section.items) {
      if (!applicable.has(item.id)) continue;
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
    const steps = this.steps();
    const section = steps[this.index];
    this.errors = this.validate(section);
    if (Object.keys(this.errors).length) {
      this.render(false);
      const summary = this.root.getElementById("hps-error-summary");
      if (summary) summary.focus();
      return;
    }
    const after = this.steps();
    const position = after.indexOf(section);
    if (position + 1 >= after.length) this.go("review");
    else {
      this.index = position + 1;
      this.go("step");
    }
  }

  back() {
    this.errors = {};
    this.index = Math.max(0, this.index - 1);
    this.go("step");
  }

  go(state) {
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

  renderReview() {
    const t = this.t;
    const { applicable } = this.skip();
    this.view.append(h("h2", { tabindex: "-1" }, t.review), h("p", {}, t.reviewIntro));
    this.steps().forEach((section, n) => {
      const list = h("dl", { class: "answers" });
      for (const item of section.items) {
        if (!applicable.has(item.id)) continue;
        list.append(h("dt", {}, item.text), h("dd", {}, this.answerText(item, this.answers[item.id])));
      }
      this.view.append(
        h("h3", {}, section.title),
        list,
        h("button", {
          type: "button", "aria-label": t.changeSection(section.title),
          onclick: () => { this.index = n; this.errors = {}; this.go("step"); },
        }, t.change),
      );
    });
    this.view.append(h("div", { class: "nav" },
      h("button", { type: "button", onclick: () => { this.index = this.steps().length - 1; this.go("step"); } }, t.back),
      h("button", { type: "button", class: "primary", id: "hps-submit", onclick: () => this.submit() }, t.submit)));
  }

  async submit(announce = true) {
    const { effective } = this.skip();
    this.state = "sending";
    this.render(announce);
    try {
      this.result = await this.request(
        `/v1/questionnaires/${encodeURIComponent(this.questionnaireId)}/screenings`,
        { lang: this.language, country: this.questionnaire.country },
        { answers: effective },
      );
      this.state = "result";
      this.render(true);
      const label = this.t.levels[this.result.level] || this.result.level;
      this.live.textContent = "";
      setTimeout(() => { this.live.textContent = this.t.resultAnnounce(label, this.result.headline); }, 50);
    } catch (error) {
      this.state = "submit-error";
      this.render(true);
    }
  }

  renderResult() {
    const t = this.t;
    const result = this.result;
    const urgent = URGENT.has(result.level);
    const label = t.levels[result.level] || result.level;
    const section = h("section", { class: "result", "data-level": result.level, "aria-labelledby": "hps-result-heading" });
    section.append(
      h("p", { class: `level level-${result.level}`, id: "hps-level" },
        h("span", { class: "icon", "aria-hidden": "true" }, ICONS[result.level] || "ℹ"), h("span", {}, label)),
      h("h2", { tabindex: "-1", id: "hps-result-heading", "aria-describedby": "hps-level" }, result.headline),
    );
    const nextSteps = result.next_steps && result.next_steps.length
      ? [h("h3", {}, t.nextSteps), h("ul", {}, result.next_steps.map((step) => h("li", {}, step)))]
      : [];
    if (urgent) section.append(...nextSteps);
    if (result.reasons && result.reasons.length) {
      section.append(h("h3", {}, t.reasons), h("ul", {}, result.reasons.map((reason) => h("li", {},
        h("p", {}, reason.text),
        reason.why ? h("details", {}, h("summary", {}, t.why), h("p", {}, reason.why)) : null))));
    }
    const findings = Object.values(result.findings || {}).filter((finding) => finding.status !== "none");
    section.append(h("h3", {}, t.findings));
    if (findings.length) {
      section.append(h("dl", { class: "answers" }, findings.map((finding) => [
        h("dt", {}, `${finding.label}: ${t.status[finding.status] || finding.status}`), h("dd", {}, finding.text)])));
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
      if (clinic.phone) links.push(h("a", { class: "button", href: `tel:${clinic.phone.replace(/[^0-9+]/g, "")}` }, t.call(clinic.phone)));
      section.append(h("div", { class: "cta" }, h("h3", {}, t.clinicCta(clinic.name)), h("div", { class: "nav" }, links)));
    }
    section.append(h("p", { class: "disclaimer" }, result.disclaimer));
    section.append(h("div", { class: "nav no-print" },
      h("button", { type: "button", onclick: () => window.print() }, t.print),
      h("button", { type: "button", onclick: () => this.restart() }, t.restart)));
    this.view.append(section);
  }

  restart() {
    this.answers = {};
    this.drafts = {};
    this.errors = {};
    this.result = null;
    this.index = 0;
    this.live.textContent = "";
    this.go("step");
  }
}

if (typeof customElements !== "undefined" && !customElements.get("hip-pelvic-screener")) customElements.define("hip-pelvic-screener", HipPelvicScreener);
