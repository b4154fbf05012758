//! The agreement coefficients over a 2 × 2 table of units: percent agreement, Cohen's κ (as
//! NVivo defines it) and Krippendorff's α (nominal), plus α for any number of coders with
//! missing values. Undefined values are `None`, never NaN.

use serde::Serialize;

/// Units counted by whether each of two coders coded them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Coded by both.
    pub both: u64,
    /// Coded by the first coder only.
    pub a_only: u64,
    /// Coded by the second coder only.
    pub b_only: u64,
    /// Coded by neither.
    pub neither: u64,
}

impl Counts {
    /// N = a + b + c + d.
    pub fn units(&self) -> u64 {
        self.both + self.a_only + self.b_only + self.neither
    }

    /// Adds another table cell by cell.
    pub fn add(&mut self, other: Counts) {
        self.both += other.both;
        self.a_only += other.a_only;
        self.b_only += other.b_only;
        self.neither += other.neither;
    }

    /// Percent agreement (a + d) / N as a fraction; `None` without units.
    pub fn agreement(&self) -> Option<f64> {
        let n = self.units();
        (n > 0).then(|| (self.both + self.neither) as f64 / n as f64)
    }

    /// Cohen's κ = (Po − Pe) / (1 − Pe), Po = (a + d)/N,
    /// Pe = [(a + b)(a + c) + (c + d)(b + d)] / N² (NVivo's definition). `None` when Pe = 1
    /// (both coders put every unit in the same class, e.g. neither coded anything).
    pub fn kappa(&self) -> Option<f64> {
        let n = self.units() as f64;
        if n == 0.0 {
            return None;
        }
        let (a, b, c, d) = (
            self.both as f64,
            self.a_only as f64,
            self.b_only as f64,
            self.neither as f64,
        );
        let observed = (a + d) / n;
        let expected = ((a + b) * (a + c) + (c + d) * (b + d)) / (n * n);
        if (1.0 - expected).abs() < 1e-12 {
            return None;
        }
        Some((observed - expected) / (1.0 - expected))
    }

    /// Krippendorff's α (nominal) of the binary "coded / not coded" values of two coders
    /// over the N units: α = 1 − (n − 1)(b + c) / (n₀ n₁) with n = 2N pairable values,
    /// n₁ = 2a + b + c and n₀ = 2d + b + c. `None` when every value is the same (no variation).
    pub fn alpha(&self) -> Option<f64> {
        let n = 2 * self.units();
        let n1 = (2 * self.both + self.a_only + self.b_only) as f64;
        let n0 = (2 * self.neither + self.a_only + self.b_only) as f64;
        if n < 2 || n0 * n1 == 0.0 {
            return None;
        }
        let disagreements = (self.a_only + self.b_only) as f64;
        Some(1.0 - (n as f64 - 1.0) * disagreements / (n0 * n1))
    }
}

/// Krippendorff's α for nominal data from any number of coders: `units` holds, per unit, the
/// values the coders gave it (a coder who did not code the unit is simply absent). Units with
/// fewer than two values are not pairable and are left out. `None` when fewer than two
/// pairable values exist or all pairable values are the same.
pub fn krippendorff_alpha_nominal(units: &[Vec<u32>]) -> Option<f64> {
    use std::collections::BTreeMap;
    // Coincidences o[c][k]: each ordered pair of values within a unit, weighted 1 / (m − 1).
    let mut coincidences: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for values in units.iter().filter(|values| values.len() >= 2) {
        let weight = 1.0 / (values.len() as f64 - 1.0);
        for (i, c) in values.iter().enumerate() {
            for (j, k) in values.iter().enumerate() {
                if i != j {
                    *coincidences.entry((*c, *k)).or_insert(0.0) += weight;
                }
            }
        }
    }
    let mut marginals: BTreeMap<u32, f64> = BTreeMap::new();
    for ((c, _), count) in &coincidences {
        *marginals.entry(*c).or_insert(0.0) += count;
    }
    let n: f64 = marginals.values().sum();
    if n < 2.0 {
        return None;
    }
    let observed: f64 = (coincidences.iter())
        .filter(|((c, k), _)| c != k)
        .map(|(_, count)| count)
        .sum();
    let expected: f64 = (marginals.iter())
        .flat_map(|(c, nc)| {
            (marginals.iter())
                .filter(move |(k, _)| *k != c)
                .map(move |(_, nk)| nc * nk)
        })
        .sum();
    if expected == 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * observed / expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(value: f64, places: i32) -> f64 {
        let scale = 10f64.powi(places);
        (value * scale).round() / scale
    }

    #[test]
    fn nvivo_worked_example_gives_85_percent_and_kappa_0_318() {
        let counts = Counts {
            both: 50,
            a_only: 100,
            b_only: 50,
            neither: 800,
        };
        assert_eq!(counts.units(), 1000);
        assert_eq!(counts.agreement(), Some(0.85));
        // Independent computation: Po = 0.85, Pe = (150·100 + 850·900) / 1000² = 0.78.
        let expected = (0.85 - 0.78) / (1.0 - 0.78);
        let kappa = counts.kappa().expect("κ is defined");
        assert!((kappa - expected).abs() < 1e-12);
        assert_eq!(format!("{kappa:.3}"), "0.318");
    }

    #[test]
    fn kappa_is_undefined_not_nan_when_both_coders_coded_nothing() {
        let counts = Counts {
            neither: 500,
            ..Counts::default()
        };
        assert_eq!(counts.agreement(), Some(1.0));
        assert_eq!(counts.kappa(), None);
        assert_eq!(counts.alpha(), None);
        assert_eq!(Counts::default().agreement(), None);
    }

    #[test]
    fn binary_alpha_equals_the_general_alpha_on_the_same_units() {
        let counts = Counts {
            both: 7,
            a_only: 3,
            b_only: 2,
            neither: 11,
        };
        let mut units = Vec::new();
        units.extend((0..7).map(|_| vec![1, 1]));
        units.extend((0..3).map(|_| vec![1, 0]));
        units.extend((0..2).map(|_| vec![0, 1]));
        units.extend((0..11).map(|_| vec![0, 0]));
        let general = krippendorff_alpha_nominal(&units).expect("defined");
        let binary = counts.alpha().expect("defined");
        assert!((general - binary).abs() < 1e-12, "{general} vs {binary}");
    }

    #[test]
    fn alpha_matches_the_krippendorff_package_three_coders_fifteen_units() {
        // The python `krippendorff` package's test data (test_nominal_metric_reliability_data):
        // 3 coders × 15 units, `None` where a coder left a unit out; published α = 0.691358.
        let coders: [[Option<u32>; 15]; 3] = [
            [
                None,
                None,
                None,
                None,
                None,
                Some(3),
                Some(4),
                Some(1),
                Some(2),
                Some(1),
                Some(1),
                Some(3),
                Some(3),
                None,
                Some(3),
            ],
            [
                Some(1),
                None,
                Some(2),
                Some(1),
                Some(3),
                Some(3),
                Some(4),
                Some(3),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                None,
                None,
                Some(2),
                Some(1),
                Some(3),
                Some(4),
                Some(4),
                None,
                Some(2),
                Some(1),
                Some(1),
                Some(3),
                Some(3),
                None,
                Some(4),
            ],
        ];
        let units: Vec<Vec<u32>> = (0..15)
            .map(|unit| coders.iter().filter_map(|coder| coder[unit]).collect())
            .collect();
        let alpha = krippendorff_alpha_nominal(&units).expect("defined");
        assert_eq!(round(alpha, 6), 0.691358);
    }
}
