// In-page driver for <hip-pelvic-screener> (tests/e2e/test_golden_widget.py): answers golden
// cases through the widget's own screens, skip logic and requests, much faster than a click
// per Playwright call. Each answer goes through the control a person would use (a click on a
// radio, checkbox or statement, "None of these apply to me", a number typed, a slider moved)
// and each screen ends with a click on Next; the widget then checks the answers so far
// (POST .../progress) and shows the next screen, an emergency screen ("Continue the
// questions") or the check-your-answers page ("See my result", POST .../screenings).
// Two or more widgets on the page run cases side by side, so one waits for the service while
// another works. "Start again" (the result screen's button) resets a widget between cases.
//
// Argument: {cases: [{id, answers}], questions: {qid: item}, widgets, attributes, timeoutMs}.
// Returns per case: {id, level, progress: [[done, minutes], ...], screens, error, asked, sent}.
async ({ cases, questions, widgets, attributes, timeoutMs }) => {
  const BUSY = new Set(["loading", "checking", "sending"]);

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Resolves once the widget is in none of the BUSY states (after a click that started a request). */
  function settled(el) {
    const done = () => !BUSY.has(el.getAttribute("data-state"));
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`still ${el.getAttribute("data-state")} after ${timeoutMs} ms`));
      }, timeoutMs);
      const observer = new MutationObserver(() => {
        if (done()) {
          clearTimeout(timer);
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(el, { attributes: true, attributeFilter: ["data-state"] });
    });
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const sorted = (value) => [...value].sort();

  function isNegative(item, value) {
    if (Array.isArray(item.negative)) return Array.isArray(value) && same(sorted(value), sorted(item.negative));
    return value === item.negative && typeof value === typeof item.negative;
  }

  const asValues = (value) => (typeof value === "boolean" ? [String(value)] : Array.isArray(value) ? value.map(String) : [String(value)]);

  // The questions on the screen in page order, with the checklist holding each (as driver.py reads them).
  function shownQuestions(root) {
    return [...root.querySelectorAll("[data-question], .field input")].map((node) => {
      const list = node.closest("[data-checklist]");
      return { qid: node.getAttribute("data-question") || node.name, checklist: list ? list.getAttribute("data-checklist") : null };
    });
  }

  function untouchedChecklists(root) {
    return [...root.querySelectorAll("[data-checklist]")]
      .filter((list) => !list.querySelector("input[data-statement]:checked") && !list.querySelector("input[data-none]:checked")
        && !list.querySelector("input[data-other]:checked"))
      .map((list) => list.getAttribute("data-checklist"));
  }

  function chooseNoneIfUntouched(root, checklist) {
    if (!untouchedChecklists(root).includes(checklist)) return;
    root.querySelector(`input[data-none="${checklist}"]`).click();
  }

  function check(root, selector) {
    const input = root.querySelector(selector);
    if (!input) throw new Error(`nothing to choose: ${selector}`);
    if (!input.checked) input.click();
  }

  function type(root, qid, value, event) {
    const input = root.querySelector(`input[name="${qid}"]`);
    input.value = String(value);
    input.dispatchEvent(new Event(event, { bubbles: true }));
  }

  function answer(root, qid, value, item) {
    if (item.negative !== null && item.negative !== undefined) {
      if (isNegative(item, value)) return; // left for "None of these", or settled at Next
      const hasTick = item.ticked !== null && item.ticked !== undefined;
      if (hasTick && !same(value, item.ticked)) {
        // Another answer than the tick's, e.g. "Prefer not to say", offered beside the statement.
        check(root, `input[data-other="${qid}"][value="${value}"]`);
        return;
      }
      check(root, `input[data-statement="${qid}"]`);
      if (hasTick || item.type === "boolean") return;
      const kind = item.type === "multi_choice" ? "checkbox" : "radio";
      for (const option of asValues(value)) check(root, `input[type="${kind}"][name="${qid}"][value="${option}"]`);
      return;
    }
    if (item.type === "integer") return type(root, qid, value, "input");
    if (item.type === "scale") return type(root, qid, value, "input");
    for (const option of asValues(value)) check(root, `input[name="${qid}"][value="${option}"]`);
  }

  function progressOf(root) {
    const node = root.querySelector("#hps-progress");
    return node ? [Number(node.getAttribute("data-progress")), Number(node.getAttribute("data-minutes"))] : null;
  }

  async function runCase(el, { id, answers }) {
    const root = el.shadowRoot;
    const out = { id, level: null, progress: [], screens: 0, asked: [], sent: null, error: null };
    try {
      await settled(el);
      for (let turn = 0; turn < 80; turn += 1) {
        const state = el.getAttribute("data-state");
        out.screens += 1;
        const progress = progressOf(root);
        if (progress) out.progress.push(progress);
        if (state === "step") {
          const heading = root.querySelector("h2").textContent;
          const done = new Set();
          for (;;) {
            const shown = shownQuestions(root);
            const entry = shown.find((one) => !done.has(one.qid));
            if (!entry) break;
            const before = shown.slice(0, shown.indexOf(entry)).map((one) => one.checklist).filter(Boolean);
            for (const list of new Set(before)) if (list !== entry.checklist) chooseNoneIfUntouched(root, list);
            done.add(entry.qid);
            out.asked.push(entry.qid);
            if (!(entry.qid in answers)) throw new Error(`the widget shows ${entry.qid}, which the server's skip logic does not ask`);
            answer(root, entry.qid, answers[entry.qid], questions[entry.qid]);
          }
          for (const list of untouchedChecklists(root)) chooseNoneIfUntouched(root, list);
          root.querySelector('button[type="submit"]').click();
          await settled(el);
          const summary = root.querySelector("#hps-error-summary");
          if (summary) throw new Error(`${heading}: ${summary.textContent}`);
          if (el.getAttribute("data-state") === "step" && root.querySelector("h2").textContent === heading) {
            throw new Error(`Next stayed on ${heading}`);
          }
        } else if (state === "emergency") {
          root.getElementById("hps-continue").click();
          await settled(el);
        } else if (state === "review") {
          root.getElementById("hps-submit").click();
          await settled(el);
          const now = el.getAttribute("data-state");
          if (now !== "result") throw new Error(`after See my result: ${now}`);
          out.screens += 1;
          out.level = root.querySelector(".result[data-level]").getAttribute("data-level");
          out.sent = el.skip().effective; // what "See my result" posted (the widget's own skip logic)
          return out;
        } else {
          const cause = root.getElementById("hps-failure-cause");
          throw new Error(`unexpected state ${state}${cause ? `: ${cause.textContent}` : ""}`);
        }
      }
      throw new Error("the flow did not end");
    } catch (error) {
      out.error = String(error && error.message ? error.message : error);
      return out;
    }
  }

  /** Back to the first screen with no answers: "Start again" on the result screen, else a new widget. */
  async function reset(el) {
    const again = el.getAttribute("data-state") === "result" && el.shadowRoot.querySelector(".result > .nav.no-print > button:last-child");
    if (again) {
      again.click();
      await settled(el);
      return el;
    }
    const fresh = make();
    el.replaceWith(fresh);
    await settled(fresh);
    return fresh;
  }

  function make() {
    const el = document.createElement("hip-pelvic-screener");
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    return el;
  }

  const queue = cases.map((one, n) => [n, one]);
  const results = new Array(cases.length);
  // The widgets sit in a container that is not laid out: every line of the widget's code runs
  // (screens, skip logic, requests, focus calls), but Chromium draws nothing, which halves the
  // time. What is drawn, focus and axe are checked by test_journey.py and test_widget_browser.py.
  const host = document.createElement("div");
  host.hidden = true;
  host.setAttribute("data-golden-runner", "");
  document.body.append(host);
  const pool = [];
  for (let n = 0; n < widgets; n += 1) {
    const el = make();
    host.append(el);
    pool.push(el);
  }
  await Promise.all(pool.map(async (first) => {
    let el = first;
    await settled(el);
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [n, one] = next;
      results[n] = await runCase(el, one);
      el = await reset(el);
      await sleep(0);
    }
  }));
  return results;
}
