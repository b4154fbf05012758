//! Exploratory statistics for contingency tables: Pearson's χ² test of independence with
//! adjusted standardized residuals, and Fisher's exact test for 2×2 tables. With a handful of
//! cases these are at best exploratory; every result carries a warning when an expected count
//! is below 5. The χ² distribution is computed here (regularized incomplete gamma function,
//! Numerical Recipes §6.2; Lanczos log-gamma) to keep the dependency list short.

/// The result of a χ² test on an r×c table.
#[derive(Clone, Debug, PartialEq)]
pub struct ChiSquare {
    /// Pearson's χ².
    pub statistic: f64,
    /// Degrees of freedom, (r − 1)(c − 1) of the tested table.
    pub df: usize,
    /// P(χ²(df) ≥ statistic).
    pub p_value: f64,
    /// Expected counts per cell of the input; `None` where a row or column was left out.
    pub expected: Vec<Vec<Option<f64>>>,
    /// Adjusted standardized residuals (O − E) / √(E (1 − rᵢ/N)(1 − cⱼ/N)) per cell; |r| > 1.96
    /// marks a cell that departs from independence at the 5 % level (exploratory).
    pub residuals: Vec<Vec<Option<f64>>>,
    /// The smallest expected count of the tested cells.
    pub min_expected: f64,
    /// How many tested cells have an expected count below 5.
    pub cells_below_five: usize,
    /// How many cells were tested.
    pub cells_tested: usize,
    /// Rows and columns left out because their total is zero (no expected count).
    pub dropped_rows: Vec<usize>,
    pub dropped_columns: Vec<usize>,
    /// Fisher's exact test (two-sided) when the tested table is 2×2.
    pub fisher_p: Option<f64>,
}

impl ChiSquare {
    /// A warning to print with the result, when an expected count is below 5.
    pub fn warning(&self) -> Option<String> {
        (self.cells_below_five > 0).then(|| {
            format!(
                "{} of {} cells have an expected count below 5 (smallest {:.2}): the χ² approximation is unreliable{}",
                self.cells_below_five,
                self.cells_tested,
                self.min_expected,
                if self.fisher_p.is_some() {
                    "; read Fisher's exact test"
                } else {
                    ""
                }
            )
        })
    }
}

/// Pearson's χ² test of independence. Rows and columns whose total is zero are left out;
/// `None` when fewer than two rows or two columns remain.
pub fn chi_square(table: &[Vec<usize>]) -> Option<ChiSquare> {
    let columns = table.iter().map(Vec::len).max().unwrap_or(0);
    let at = |row: usize, column: usize| -> f64 {
        table
            .get(row)
            .and_then(|cells| cells.get(column))
            .copied()
            .unwrap_or(0) as f64
    };
    let row_sums: Vec<f64> = (0..table.len())
        .map(|row| (0..columns).map(|column| at(row, column)).sum())
        .collect();
    let column_sums: Vec<f64> = (0..columns)
        .map(|column| (0..table.len()).map(|row| at(row, column)).sum())
        .collect();
    let kept_rows: Vec<usize> = (0..table.len()).filter(|r| row_sums[*r] > 0.0).collect();
    let kept_columns: Vec<usize> = (0..columns).filter(|c| column_sums[*c] > 0.0).collect();
    if kept_rows.len() < 2 || kept_columns.len() < 2 {
        return None;
    }
    let total: f64 = row_sums.iter().sum();
    let mut expected = vec![vec![None; columns]; table.len()];
    let mut residuals = vec![vec![None; columns]; table.len()];
    let (mut statistic, mut min_expected, mut below) = (0.0, f64::INFINITY, 0);
    for &row in &kept_rows {
        for &column in &kept_columns {
            let (row_sum, column_sum) = (row_sums[row], column_sums[column]);
            let e = row_sum * column_sum / total;
            let observed = at(row, column);
            statistic += (observed - e).powi(2) / e;
            min_expected = f64::min(min_expected, e);
            below += usize::from(e < 5.0);
            let variance = e * (1.0 - row_sum / total) * (1.0 - column_sum / total);
            expected[row][column] = Some(e);
            residuals[row][column] = (variance > 0.0).then(|| (observed - e) / variance.sqrt());
        }
    }
    let df = (kept_rows.len() - 1) * (kept_columns.len() - 1);
    let fisher_p = match (kept_rows.as_slice(), kept_columns.as_slice()) {
        ([r0, r1], [c0, c1]) => {
            let cell = |r: usize, c: usize| at(r, c) as u64;
            Some(fisher_exact(
                cell(*r0, *c0),
                cell(*r0, *c1),
                cell(*r1, *c0),
                cell(*r1, *c1),
            ))
        }
        _ => None,
    };
    Some(ChiSquare {
        statistic,
        df,
        p_value: chi_square_sf(statistic, df as f64),
        expected,
        residuals,
        min_expected,
        cells_below_five: below,
        cells_tested: kept_rows.len() * kept_columns.len(),
        dropped_rows: (0..table.len())
            .filter(|r| !kept_rows.contains(r))
            .collect(),
        dropped_columns: (0..columns).filter(|c| !kept_columns.contains(c)).collect(),
        fisher_p,
    })
}

/// Fisher's exact test, two-sided, for the 2×2 table `[[a, b], [c, d]]`: the sum of the
/// probabilities (hypergeometric, margins fixed) of every table no more likely than the one
/// observed (the rule R's `fisher.test` uses, with the same relative tolerance 1e-7).
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (row0, row1, column0) = (a + b, c + d, a + c);
    let n = row0 + row1;
    let ln_choose = |n: u64, k: u64| ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k);
    let ln_total = ln_choose(n, column0);
    let probability = |x: u64| (ln_choose(row0, x) + ln_choose(row1, column0 - x) - ln_total).exp();
    let observed = probability(a);
    let low = column0.saturating_sub(row1);
    let high = row0.min(column0);
    let p: f64 = (low..=high)
        .map(probability)
        .filter(|p| *p <= observed * (1.0 + 1e-7))
        .sum();
    p.min(1.0)
}

/// P(X ≥ x) for X ~ χ²(df).
pub fn chi_square_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    regularized_gamma_q(df / 2.0, x / 2.0)
}

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a).
pub fn regularized_gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_continued_fraction(a, x)
    }
}

const EPSILON: f64 = 1e-15;
const MAX_ITERATIONS: usize = 10_000;

fn gamma_p_series(a: f64, x: f64) -> f64 {
    let (mut sum, mut term, mut denominator) = (1.0 / a, 1.0 / a, a);
    for _ in 0..MAX_ITERATIONS {
        denominator += 1.0;
        term *= x / denominator;
        sum += term;
        if term.abs() < sum.abs() * EPSILON {
            break;
        }
    }
    (sum.ln() - x + a * x.ln() - ln_gamma(a)).exp()
}

fn gamma_q_continued_fraction(a: f64, x: f64) -> f64 {
    // Modified Lentz's method.
    let tiny = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / tiny;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..MAX_ITERATIONS {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + an / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < EPSILON {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14).
pub fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (index, coefficient) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += coefficient / (x + index as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

fn ln_factorial(n: u64) -> f64 {
    if n < 2 { 0.0 } else { ln_gamma(n as f64 + 1.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    #[test]
    fn chi_square_p_values_match_the_printed_table_of_critical_values() {
        // Critical values from any χ² table: (df, value at p = 0.05, value at p = 0.01).
        for (df, five, one) in [
            (1.0, 3.841_459, 6.634_897),
            (2.0, 5.991_465, 9.210_340),
            (3.0, 7.814_728, 11.344_867),
            (4.0, 9.487_729, 13.276_704),
            (10.0, 18.307_038, 23.209_251),
            (30.0, 43.772_972, 50.892_181),
        ] {
            assert!(close(chi_square_sf(five, df), 0.05, 1e-6), "df {df}");
            assert!(close(chi_square_sf(one, df), 0.01, 1e-6), "df {df}");
        }
        // df = 2 has the closed form exp(−x/2).
        assert!(close(chi_square_sf(3.0, 2.0), (-1.5f64).exp(), 1e-12));
        assert_eq!(chi_square_sf(0.0, 3.0), 1.0);
    }

    #[test]
    fn log_gamma_gives_factorials() {
        assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-12));
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-12
        ));
        assert!(close(ln_factorial(10), 3_628_800f64.ln(), 1e-9));
    }

    #[test]
    fn a_two_by_two_table_by_hand() {
        // [[10, 20], [30, 40]]: N = 100, rows 30/70, columns 40/60, so E = [[12, 18], [28, 42]];
        // χ² = 4/12 + 4/18 + 4/28 + 4/42 = 0.793651; df = 1; p = erfc(√(χ²/2)) = 0.372998.
        // In a 2×2 table every adjusted residual is ±√χ²: (10 − 12)/√(12·0.7·0.6) = −0.890871.
        let test = chi_square(&[vec![10, 20], vec![30, 40]]).expect("test");
        assert_eq!(test.df, 1);
        assert!(close(test.statistic, 0.793_651, 1e-6), "{}", test.statistic);
        assert!(close(test.p_value, 0.372_998, 1e-6), "{}", test.p_value);
        assert!(close(test.residuals[0][0].unwrap_or(0.0), -0.890_871, 1e-6));
        assert!(close(test.residuals[1][1].unwrap_or(0.0), -0.890_871, 1e-6));
        assert!(close(test.residuals[0][1].unwrap_or(0.0), 0.890_871, 1e-6));
        assert_eq!(test.expected[0][0], Some(12.0));
        assert_eq!(test.cells_below_five, 0);
        assert!(test.warning().is_none());
        assert!(test.fisher_p.is_some());
    }

    #[test]
    fn a_two_by_three_table_by_hand_with_a_small_expected_count_warning() {
        // [[8, 2, 5], [2, 8, 5]]: N = 30, rows 15/15, columns 10/10/10, so every E = 5.
        // χ² = (9 + 9 + 0 + 9 + 9 + 0) / 5 = 7.2, df = 2, p = exp(−3.6) = 0.027324.
        // Adjusted residual of [0][0]: 3 / √(5 · 0.5 · (2/3)) = 3 / √(5/3) = 2.323790.
        let test = chi_square(&[vec![8, 2, 5], vec![2, 8, 5]]).expect("test");
        assert_eq!(test.df, 2);
        assert!(close(test.statistic, 7.2, 1e-12));
        assert!(close(test.p_value, (-3.6f64).exp(), 1e-12));
        assert!(close(test.residuals[0][0].unwrap_or(0.0), 2.323_790, 1e-6));
        assert!(close(test.residuals[0][2].unwrap_or(1.0), 0.0, 1e-12));
        assert!(test.warning().is_none(), "E = 5 is not below 5");
        assert!(test.fisher_p.is_none(), "Fisher only for 2×2");

        // Halve it: every expected count is 2.5, so the warning must show.
        let small = chi_square(&[vec![4, 1, 3], vec![1, 4, 2]]).expect("test");
        assert_eq!(small.cells_below_five, 6);
        assert!(small.warning().is_some_and(|w| w.contains("6 of 6")));
    }

    #[test]
    fn rows_and_columns_without_counts_are_left_out_of_the_test() {
        let test = chi_square(&[vec![3, 0, 1], vec![0, 0, 0], vec![1, 0, 3]]).expect("test");
        assert_eq!(test.dropped_rows, [1]);
        assert_eq!(test.dropped_columns, [1]);
        assert_eq!(test.df, 1);
        assert_eq!(test.residuals[1][0], None);
        assert!(chi_square(&[vec![1, 2], vec![0, 0]]).is_none());
    }

    #[test]
    fn fisher_exact_matches_known_values() {
        // Fisher's lady tasting tea: [[3, 1], [1, 3]], two-sided p = 17/35 = 0.485714.
        assert!(close(fisher_exact(3, 1, 1, 3), 17.0 / 35.0, 1e-9));
        // The textbook example [[1, 9], [11, 3]] (Wikipedia, "Fisher's exact test"):
        // two-sided p = 0.002759 (R: fisher.test gives 0.002759).
        assert!(close(fisher_exact(1, 9, 11, 3), 0.002_759, 1e-6));
        // A table with no information gives p = 1.
        assert!(close(fisher_exact(2, 2, 2, 2), 1.0, 1e-12));
    }
}
