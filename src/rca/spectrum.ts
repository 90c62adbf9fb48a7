/**
 * Spectrum-based fault localisation formulas, as MicroRank (Yu et al., WWW 2021, §4.3) uses them with
 * PageRank-weighted counts: ef/ep = weight of anomalous/normal traces that cover the operation,
 * nf/np = weight of anomalous/normal traces that do not. Ochiai (Abreu et al., 2006), DStar2 (Wong et
 * al., 2014), Tarantula (Jones & Harrold, 2005).
 */

export const DEFAULTS = {
  formula: 'ochiai' as SpectrumFormula,
  /** DStar's star (exponent on ef). */
  star: 2,
};

export type SpectrumFormula = 'ochiai' | 'dstar2' | 'tarantula';

/** The four spectrum counts of one operation (may be fractional when weighted). */
export interface SpectrumCounts {
  ef: number;
  ep: number;
  nf: number;
  np: number;
}

/** Suspiciousness of one operation; higher = more likely faulty. Finite; 0 when ef = 0. */
export function suspiciousness(c: SpectrumCounts, formula: SpectrumFormula = DEFAULTS.formula): number {
  const { ef, ep, nf, np } = c;
  if (ef <= 0) return 0;
  switch (formula) {
    case 'ochiai':
      return ef / Math.sqrt((ef + nf) * (ef + ep));
    case 'dstar2':
      // Nothing dilutes ef: finite but very large, so the ranking still puts it first.
      return ef ** DEFAULTS.star / Math.max(ep + nf, 1e-9);
    case 'tarantula': {
      const failRatio = ef / (ef + nf);
      const passRatio = ep + np > 0 ? ep / (ep + np) : 0;
      return failRatio / (failRatio + passRatio);
    }
  }
}
