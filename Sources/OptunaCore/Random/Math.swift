#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers over libm so pure code needs no Foundation.

@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }

/// Elementary functions for the core's numerical code, over the C library.
public enum CoreMath {
    /// Natural logarithm.
    @inlinable public static func log(_ x: Double) -> Double { _coreLog(x) }
    /// Exponential.
    @inlinable public static func exp(_ x: Double) -> Double { _coreExp(x) }
    /// The error function.
    @inlinable public static func erf(_ x: Double) -> Double { _coreErf(x) }
    /// The complementary error function.
    @inlinable public static func erfc(_ x: Double) -> Double { _coreErfc(x) }
    /// `log(1 + x)`, accurate near 0.
    @inlinable public static func log1p(_ x: Double) -> Double { _coreLog1p(x) }
    /// `exp(x) - 1`, accurate near 0.
    @inlinable public static func expm1(_ x: Double) -> Double { _coreExpm1(x) }
    /// `x` raised to `y`.
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { _corePow(x, y) }
    /// Cosine.
    @inlinable public static func cos(_ x: Double) -> Double { _coreCos(x) }
    /// Sine.
    @inlinable public static func sin(_ x: Double) -> Double { _coreSin(x) }
    /// The next representable double toward `toward`.
    @inlinable public static func nextAfter(_ x: Double, _ toward: Double) -> Double { _coreNextAfter(x, toward) }
}

@usableFromInline func _coreLog(_ x: Double) -> Double { log(x) }
@usableFromInline func _coreExp(_ x: Double) -> Double { exp(x) }
@usableFromInline func _coreErf(_ x: Double) -> Double { erf(x) }
@usableFromInline func _coreErfc(_ x: Double) -> Double { erfc(x) }
@usableFromInline func _coreLog1p(_ x: Double) -> Double { log1p(x) }
@usableFromInline func _coreExpm1(_ x: Double) -> Double { expm1(x) }
@usableFromInline func _corePow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@usableFromInline func _coreCos(_ x: Double) -> Double { cos(x) }
@usableFromInline func _coreSin(_ x: Double) -> Double { sin(x) }
@usableFromInline func _coreNextAfter(_ x: Double, _ y: Double) -> Double { nextafter(x, y) }
