// The part of npm `qrcode` 1.5.4 the app uses (the package ships no types, and @types/qrcode is not served here).
declare module 'qrcode' {
  export interface BitMatrix {
    size: number;
    get(row: number, col: number): number | boolean;
  }
  export interface QRCodeData {
    modules: BitMatrix;
  }
  export function create(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): QRCodeData;
  const QRCode: { create: typeof create };
  export default QRCode;
}
