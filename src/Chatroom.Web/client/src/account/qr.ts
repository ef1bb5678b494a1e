import QRCode, { type BitMatrix } from 'qrcode';

const svgNs = 'http://www.w3.org/2000/svg';
/** The quiet zone the QR standard asks for around the code, in modules. */
const margin = 4;

/** One SVG path drawing every dark module as a unit square, offset by the quiet zone. */
export function qrPath(modules: BitMatrix): string {
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) parts.push(`M${col + margin} ${row + margin}h1v1h-1z`);
    }
  }
  return parts.join('');
}

/**
 * The QR code of `text` as an SVG element, made here in the page: the authenticator secret it carries never leaves
 * the browser (no remote QR service), and it is built with DOM calls, not markup.
 */
export function qrSvg(text: string, label: string): SVGSVGElement {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const size = modules.size + margin * 2;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('width', String(size * 5));
  svg.setAttribute('height', String(size * 5));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.classList.add('qr-code');
  const background = document.createElementNS(svgNs, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', qrPath(modules));
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}
