// Boot code of the hosted embed page (/embed/{clinic}): reports the page height to the parent
// page with postMessage, only to the parent's exact origin and only if the clinic allows it.
// Nothing else (no answers, no result) is ever sent to the parent.
const screener = document.querySelector("hip-pelvic-screener");
const allowed = new Set(JSON.parse(screener.getAttribute("data-parent-origins") || "[]"));
allowed.add(window.location.origin);

function parentOrigin() {
  if (window.parent === window) return null;
  let candidate = null;
  if (window.location.ancestorOrigins && window.location.ancestorOrigins.length) {
    candidate = window.location.ancestorOrigins[0];
  } else if (document.referrer) {
    try {
      candidate = new URL(document.referrer).origin;
    } catch (error) {
      candidate = null;
    }
  }
  return candidate && allowed.has(candidate) ? candidate : null;
}

const target = parentOrigin();
if (target) {
  let last = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "hps:height", height }, target);
    }
  };
  new ResizeObserver(report).observe(document.documentElement);
  report();
}
