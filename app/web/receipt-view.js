// The receipt of a screening result, for the person to hand to a clinician: a QR code of the
// verify link (the token rides in the URL fragment, which browsers never send to a server), the
// link itself, and two downloads made by POSTing the token to /v1/receipts/verify.
// One ES module, no build step; the QR code comes from the vendored uqr.js. Stores nothing.
import { encode } from "./uqr.js";

const TEXTS = {
  en: {
    heading: "Take this result to a clinician",
    qr: "QR code of the link to check this result",
    scan: "A clinician can scan this code, or open the link, to check that this result is what the screener gave for these answers. The link holds your answers: share it only with people you choose.",
    link: "Link to check this result",
    pdf: "Download PDF",
    fhir: "Download for a health record (FHIR)",
    busy: "Preparing the download…",
    failed: "The download did not work. Please try again.",
  },
  fr: {
    heading: "Montrez ce résultat à un professionnel de santé",
    qr: "Code QR du lien pour vérifier ce résultat",
    scan: "Un professionnel peut scanner ce code, ou ouvrir le lien, pour vérifier que ce résultat est bien celui que le questionnaire a donné pour ces réponses. Le lien contient vos réponses\u00a0: ne le partagez qu’avec les personnes de votre choix.",
    link: "Lien pour vérifier ce résultat",
    pdf: "Télécharger le PDF",
    fhir: "Télécharger pour un dossier de santé (FHIR)",
    busy: "Préparation du téléchargement…",
    failed: "Le téléchargement n’a pas fonctionné. Veuillez réessayer.",
  },
};

const SVG_NS = "http://www.w3.org/2000/svg";

/** The verify page's address with the token in its fragment. */
export function verifyLink(apiBase, token) {
  const base = (apiBase || globalThis.location?.origin || "").replace(/\/+$/, "");
  return `${base}/verify#${token}`;
}

/** The QR code of ``text`` as rows of booleans (true: dark), a quiet zone of 4 modules included. */
export function qrMatrix(text) {
  return encode(text, { ecc: "L", border: 4 }).data;
}

/** An SVG element drawing ``text`` as a QR code: one path, a square per dark module. */
export function qrSvg(doc, text, label) {
  const rows = qrMatrix(text);
  const size = rows.length;
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  // Presentation attributes, not a style attribute (a page's CSP may forbid those): about 2.5
  // pixels a module, which a phone reads off a screen; a page's CSS may size it otherwise.
  svg.setAttribute("width", String(Math.min(320, size * 3)));
  svg.setAttribute("height", String(Math.min(320, size * 3)));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = doc.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  const path = doc.createElementNS(SVG_NS, "path");
  let d = "";
  rows.forEach((row, y) => row.forEach((dark, x) => { if (dark) d += `M${x} ${y}h1v1h-1z`; }));
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(background, path);
  return svg;
}

async function download(apiBase, token, clinic, accept, filename) {
  const base = (apiBase || "").replace(/\/+$/, "");
  const response = await fetch(`${base}/v1/receipts/verify`, {
    method: "POST",
    credentials: "omit",
    cache: "no-store",
    referrerPolicy: "no-referrer",
    headers: { "Content-Type": "application/json", Accept: accept },
    body: JSON.stringify(clinic ? { token, clinic } : { token }),
  });
  if (!response.ok) throw new Error(`status ${response.status}`);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Render the receipt into ``element`` (its content is replaced): a heading, the QR code and
 * link (unless ``qr`` is false) and the two download buttons. Options: apiBase (the service's
 * origin; "" for the page's own), lang ("en" or "fr"), clinic (an id, for the PDF's contact
 * details), headingLevel (2 by default), heading (its text), qr (true by default).
 */
export function renderReceipt(element, token, options = {}) {
  const { apiBase = "", lang = "en", clinic = null, headingLevel = 2, qr = true, heading = null } = options;
  const t = TEXTS[lang] || TEXTS.en;
  const doc = element.ownerDocument;
  const make = (tag, attributes = {}, text = "") => {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  };
  const box = make("section", { class: "hps-receipt", "data-receipt": "" });
  const headingId = `hps-receipt-${Math.random().toString(36).slice(2, 10)}`;
  box.setAttribute("aria-labelledby", headingId);
  box.append(make(`h${Math.min(6, Math.max(2, headingLevel))}`, { id: headingId }, heading || t.heading));
  if (qr) {
    const link = verifyLink(apiBase, token);
    const figure = make("figure", { class: "hps-receipt-qr" });
    figure.append(qrSvg(doc, link, t.qr));
    const caption = make("figcaption", {}, t.scan);
    figure.append(caption);
    box.append(figure);
    const anchor = make("a", { href: link, class: "hps-receipt-link", rel: "noreferrer noopener", target: "_blank" }, t.link);
    const paragraph = make("p");
    paragraph.append(anchor);
    box.append(paragraph);
  }
  // role=status is a polite live region already; no aria-live attribute, so the page's own
  // live region stays the first [aria-live] element (the widget's tests and tools look for it).
  const status = make("p", { class: "hps-receipt-status", role: "status" });
  const buttons = make("p", { class: "hps-receipt-actions no-print" });
  const day = new Date().toISOString().slice(0, 10);
  const button = (label, accept, filename, name) => {
    const node = make("button", { type: "button", "data-download": name }, label);
    node.addEventListener("click", async () => {
      node.disabled = true;
      status.textContent = t.busy;
      try {
        await download(apiBase, token, clinic, accept, filename);
        status.textContent = "";
      } catch {
        status.textContent = t.failed;
      } finally {
        node.disabled = false;
      }
    });
    return node;
  };
  buttons.append(
    button(t.pdf, "application/pdf", `screening-summary-${day}.pdf`, "pdf"),
    doc.createTextNode(" "),
    button(t.fhir, "application/fhir+json", `screening-${day}.fhir.json`, "fhir"),
  );
  box.append(buttons, status);
  element.replaceChildren(box);
  return box;
}
