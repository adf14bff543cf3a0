// xterm's DOM renderer writes its theme and cell-size rules into <style> elements it creates, which
// a strict `style-src 'self'` CSP refuses (even an empty one is reported). Constructed stylesheets
// (CSSOM) are not inline markup and are allowed, so while xterm opens we hand it an inert stand-in
// (a <template>, which the page never renders or parses as CSS) whose text goes into an adopted
// CSSStyleSheet instead. xterm only appends it, sets its text and removes it. Scoped to the call.

function adopt(doc: Document, el: HTMLElement): void {
  const sheet = new CSSStyleSheet();
  let text = '';
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  const textProp = {
    configurable: true,
    get: () => text,
    set: (v: unknown) => {
      text = v == null ? '' : String(v);
      sheet.replaceSync(text);
    },
  };
  Object.defineProperty(el, 'textContent', textProp);
  Object.defineProperty(el, 'innerText', textProp);
  const remove = el.remove.bind(el);
  el.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    remove();
  };
}

export function withConstructedStyles<T>(doc: Document, fn: () => T): T {
  const original = doc.createElement;
  const hadOwn = Object.hasOwn(doc, 'createElement');
  const create = original as (this: Document, tag: string, options?: ElementCreationOptions) => HTMLElement;
  const patched = function (this: Document, tag: string, options?: ElementCreationOptions) {
    if (tag.toLowerCase() !== 'style') return create.call(this, tag, options);
    const el = create.call(this, 'template');
    adopt(doc, el);
    return el;
  };
  doc.createElement = patched as typeof doc.createElement;
  try {
    return fn();
  } finally {
    // normally createElement lives on Document.prototype; leave no own property behind
    if (hadOwn) doc.createElement = original;
    else delete (doc as { createElement?: unknown }).createElement;
  }
}
