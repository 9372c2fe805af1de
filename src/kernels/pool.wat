;; Mean pooling of id bags over an embedding table, with WebAssembly SIMD (f32x4).
;; The reference implementation is the plain loop in src/kernels/pool.ts: both round every f32 operation the same
;; way (product, then sum, then one division by the bag size), so their results are identical bit for bit.
;; `pool` reads a float32 table; `pool_q` reads a table in its stored dtype (int8 with per-row scales, float16,
;; bfloat16), widening each value to f32 exactly as the loader widens it (see src/kernels/table-dtype.ts) before the
;; same f32 operations in the same order: its results equal `pool` over the widened table, bit for bit.
;;
;; pool(ids, offsets, n, table, dim, out, weights, mapping)
;;   ids      u32[...]       token ids, bag after bag
;;   offsets  u32[n + 1]     bag i is ids[offsets[i], offsets[i+1]) (offsets relative to `ids`)
;;   table    f32[rows*dim]  row-major table
;;   out      f32[n*dim]     mean of each bag's rows (zero vector for an empty bag)
;;   weights  f32[vocab]     per-token weight, or 0 for none
;;   mapping  u32[vocab]     token id → table row, or 0 for none (identity)
;;
;; pool_q(ids, offsets, n, table, dim, out, weights, mapping, scales, kind): the same over a stored table
;;   kind     1: int8 (value = f32(i8) · scale), 2: float16, 3: bfloat16
;;   table    i8[rows*dim] or u16[rows*dim], row-major
;;   scales   f32[rows]      int8 row scales, or 0 for none (scale 1: exact)
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "pool")
    (param $ids i32) (param $offs i32) (param $n i32) (param $table i32) (param $dim i32)
    (param $out i32) (param $weights i32) (param $mapping i32)
    (local $i i32) (local $k i32) (local $end i32) (local $o i32) (local $row i32) (local $j i32)
    (local $rowBytes i32) (local $vecBytes i32) (local $id i32) (local $w f32) (local $wv v128) (local $cnt f32) (local $cv v128)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $vecBytes (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $bags_done
      (loop $bags
        (br_if $bags_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $k (i32.load (i32.add (local.get $offs) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (local.get $offs) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
        ;; zero the output row
        (local.set $j (i32.const 0))
        (block $z_done (loop $z
          (br_if $z_done (i32.ge_u (local.get $j) (local.get $vecBytes)))
          (v128.store (i32.add (local.get $o) (local.get $j)) (v128.const i32x4 0 0 0 0))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $z)))
        (block $zr_done (loop $zr
          (br_if $zr_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
          (f32.store (i32.add (local.get $o) (local.get $j)) (f32.const 0))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $zr)))
        (local.set $cnt (f32.convert_i32_u (i32.sub (local.get $end) (local.get $k))))
        ;; accumulate the rows of the bag
        (block $toks_done
          (loop $toks
            (br_if $toks_done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $row
              (i32.add (local.get $table)
                (i32.mul
                  (if (result i32) (local.get $mapping)
                    (then (i32.load (i32.add (local.get $mapping) (i32.shl (local.get $id) (i32.const 2)))))
                    (else (local.get $id)))
                  (local.get $rowBytes))))
            (local.set $j (i32.const 0))
            (if (local.get $weights)
              (then
                (local.set $w (f32.load (i32.add (local.get $weights) (i32.shl (local.get $id) (i32.const 2)))))
                (local.set $wv (f32x4.splat (local.get $w)))
                (block $wv_done (loop $wvl
                  (br_if $wv_done (i32.ge_u (local.get $j) (local.get $vecBytes)))
                  (v128.store (i32.add (local.get $o) (local.get $j))
                    (f32x4.add (v128.load (i32.add (local.get $o) (local.get $j)))
                               (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $j))) (local.get $wv))))
                  (local.set $j (i32.add (local.get $j) (i32.const 16)))
                  (br $wvl)))
                (block $wr_done (loop $wrl
                  (br_if $wr_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
                  (f32.store (i32.add (local.get $o) (local.get $j))
                    (f32.add (f32.load (i32.add (local.get $o) (local.get $j)))
                             (f32.mul (f32.load (i32.add (local.get $row) (local.get $j))) (local.get $w))))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $wrl))))
              (else
                (block $v_done (loop $vl
                  (br_if $v_done (i32.ge_u (local.get $j) (local.get $vecBytes)))
                  (v128.store (i32.add (local.get $o) (local.get $j))
                    (f32x4.add (v128.load (i32.add (local.get $o) (local.get $j)))
                               (v128.load (i32.add (local.get $row) (local.get $j)))))
                  (local.set $j (i32.add (local.get $j) (i32.const 16)))
                  (br $vl)))
                (block $r_done (loop $rl
                  (br_if $r_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
                  (f32.store (i32.add (local.get $o) (local.get $j))
                    (f32.add (f32.load (i32.add (local.get $o) (local.get $j)))
                             (f32.load (i32.add (local.get $row) (local.get $j)))))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $rl)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $toks)))
        ;; divide by the bag size (an empty bag stays zero)
        (if (f32.gt (local.get $cnt) (f32.const 0))
          (then
            (local.set $cv (f32x4.splat (local.get $cnt)))
            (local.set $j (i32.const 0))
            (block $d_done (loop $dl
              (br_if $d_done (i32.ge_u (local.get $j) (local.get $vecBytes)))
              (v128.store (i32.add (local.get $o) (local.get $j))
                (f32x4.div (v128.load (i32.add (local.get $o) (local.get $j))) (local.get $cv)))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br $dl)))
            (block $dr_done (loop $drl
              (br_if $dr_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
              (f32.store (i32.add (local.get $o) (local.get $j))
                (f32.div (f32.load (i32.add (local.get $o) (local.get $j))) (local.get $cnt)))
              (local.set $j (i32.add (local.get $j) (i32.const 4)))
              (br $drl)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $bags)))
  )
  ;; out[o, o + dim) = 0
  (func $zero (param $o i32) (param $dim i32)
    (local $j i32) (local $vb i32) (local $rb i32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $vb (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2)))
    (block $z_done (loop $z
      (br_if $z_done (i32.ge_u (local.get $j) (local.get $vb)))
      (v128.store (i32.add (local.get $o) (local.get $j)) (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $z)))
    (block $zr_done (loop $zr
      (br_if $zr_done (i32.ge_u (local.get $j) (local.get $rb)))
      (f32.store (i32.add (local.get $o) (local.get $j)) (f32.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $zr))))
  ;; out[o, o + dim) /= cnt
  (func $divide (param $o i32) (param $dim i32) (param $cnt f32)
    (local $j i32) (local $vb i32) (local $rb i32) (local $cv v128)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $vb (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2)))
    (local.set $cv (f32x4.splat (local.get $cnt)))
    (block $d_done (loop $dl
      (br_if $d_done (i32.ge_u (local.get $j) (local.get $vb)))
      (v128.store (i32.add (local.get $o) (local.get $j))
        (f32x4.div (v128.load (i32.add (local.get $o) (local.get $j))) (local.get $cv)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $dl)))
    (block $dr_done (loop $drl
      (br_if $dr_done (i32.ge_u (local.get $j) (local.get $rb)))
      (f32.store (i32.add (local.get $o) (local.get $j))
        (f32.div (f32.load (i32.add (local.get $o) (local.get $j))) (local.get $cnt)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $drl))))
  ;; one stored value at p, widened: int8 · s, float16, or bfloat16 (the tail columns of a row)
  (func $widen1 (param $kind i32) (param $p i32) (param $s f32) (result f32)
    (local $h i32)
    (if (result f32) (i32.eq (local.get $kind) (i32.const 1))
      (then (f32.mul (f32.convert_i32_s (i32.load8_s (local.get $p))) (local.get $s)))
      (else
        (local.set $h (i32.load16_u (local.get $p)))
        (if (result f32) (i32.eq (local.get $kind) (i32.const 2))
          ;; half → f32: magnitude bits moved into place, times 2^112 (exact, subnormals included), sign back
          (then (f32.reinterpret_i32 (i32.or
            (i32.reinterpret_f32 (f32.mul
              (f32.reinterpret_i32 (i32.shl (i32.and (local.get $h) (i32.const 0x7fff)) (i32.const 13)))
              (f32.const 0x1p112)))
            (i32.shl (i32.and (local.get $h) (i32.const 0x8000)) (i32.const 16)))))
          (else (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16))))))))
  ;; adds one int8 row (codes at $row, times the row scale $s) into out[o …], 8 columns at a time
  (func $acc_i8 (param $o i32) (param $row i32) (param $dim i32) (param $s f32) (param $w f32) (param $weighted i32)
    (local $j i32) (local $lim i32) (local $x v128) (local $a v128) (local $b v128) (local $sv v128) (local $wv v128)
    (local $q i32) (local $v f32)
    (local.set $lim (i32.and (local.get $dim) (i32.const -8)))
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $wv (f32x4.splat (local.get $w)))
    (block $v_done (loop $vl
      (br_if $v_done (i32.ge_u (local.get $j) (local.get $lim)))
      (local.set $x (v128.load8x8_s (i32.add (local.get $row) (local.get $j))))
      (local.set $a (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $x))) (local.get $sv)))
      (local.set $b (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $x))) (local.get $sv)))
      (if (local.get $weighted) (then
        (local.set $a (f32x4.mul (local.get $a) (local.get $wv)))
        (local.set $b (f32x4.mul (local.get $b) (local.get $wv)))))
      (local.set $q (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
      (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (local.get $a)))
      (v128.store offset=16 (local.get $q) (f32x4.add (v128.load offset=16 (local.get $q)) (local.get $b)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $vl)))
    (block $r_done (loop $rl
      (br_if $r_done (i32.ge_u (local.get $j) (local.get $dim)))
      (local.set $q (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $v (call $widen1 (i32.const 1) (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 0)))
        (local.get $s)))
      (if (local.get $weighted) (then (local.set $v (f32.mul (local.get $v) (local.get $w)))))
      (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (local.get $v)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $rl))))
  ;; adds one float16 row into out[o …] (as $widen1: exponent rebiased by a product with 2^112)
  (func $acc_f16 (param $o i32) (param $row i32) (param $dim i32) (param $s f32) (param $w f32) (param $weighted i32)
    (local $j i32) (local $lim i32) (local $x v128) (local $a v128) (local $b v128) (local $sv v128) (local $wv v128)
    (local $q i32) (local $v f32)
    (local.set $lim (i32.and (local.get $dim) (i32.const -8)))
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $wv (f32x4.splat (local.get $w)))
    (block $v_done (loop $vl
      (br_if $v_done (i32.ge_u (local.get $j) (local.get $lim)))
      (local.set $x (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 1)))))
      ;; each half-float into the high half of a 32-bit lane (sign at bit 31), shifted right by 3 with the sign
      ;; copied, bits 28-30 (the copies) cleared: sign, exponent and mantissa where a float32 has them; × 2^112
      ;; rebiases the exponent (15 → 127) and makes subnormals normal, exactly
      (local.set $a (f32x4.mul
        (v128.and
          (i32x4.shr_s (i8x16.shuffle 0 0 16 17 0 0 18 19 0 0 20 21 0 0 22 23 (v128.const i32x4 0 0 0 0) (local.get $x))
            (i32.const 3))
          (v128.const i32x4 0x8fffffff 0x8fffffff 0x8fffffff 0x8fffffff))
        (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112)))
      (local.set $b (f32x4.mul
        (v128.and
          (i32x4.shr_s (i8x16.shuffle 0 0 24 25 0 0 26 27 0 0 28 29 0 0 30 31 (v128.const i32x4 0 0 0 0) (local.get $x))
            (i32.const 3))
          (v128.const i32x4 0x8fffffff 0x8fffffff 0x8fffffff 0x8fffffff))
        (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112)))
      (if (local.get $weighted) (then
        (local.set $a (f32x4.mul (local.get $a) (local.get $wv)))
        (local.set $b (f32x4.mul (local.get $b) (local.get $wv)))))
      (local.set $q (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
      (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (local.get $a)))
      (v128.store offset=16 (local.get $q) (f32x4.add (v128.load offset=16 (local.get $q)) (local.get $b)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $vl)))
    (block $r_done (loop $rl
      (br_if $r_done (i32.ge_u (local.get $j) (local.get $dim)))
      (local.set $q (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $v (call $widen1 (i32.const 2) (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 1)))
        (local.get $s)))
      (if (local.get $weighted) (then (local.set $v (f32.mul (local.get $v) (local.get $w)))))
      (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (local.get $v)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $rl))))
  ;; adds one bfloat16 row into out[o …] (the bits shifted into the high half of an f32)
  (func $acc_bf16 (param $o i32) (param $row i32) (param $dim i32) (param $s f32) (param $w f32) (param $weighted i32)
    (local $j i32) (local $lim i32) (local $x v128) (local $a v128) (local $b v128) (local $sv v128) (local $wv v128)
    (local $q i32) (local $v f32)
    (local.set $lim (i32.and (local.get $dim) (i32.const -8)))
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $wv (f32x4.splat (local.get $w)))
    (block $v_done (loop $vl
      (br_if $v_done (i32.ge_u (local.get $j) (local.get $lim)))
      (local.set $x (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 1)))))
      (local.set $a (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $x)) (i32.const 16)))
      (local.set $b (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $x)) (i32.const 16)))
      (if (local.get $weighted) (then
        (local.set $a (f32x4.mul (local.get $a) (local.get $wv)))
        (local.set $b (f32x4.mul (local.get $b) (local.get $wv)))))
      (local.set $q (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
      (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (local.get $a)))
      (v128.store offset=16 (local.get $q) (f32x4.add (v128.load offset=16 (local.get $q)) (local.get $b)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $vl)))
    (block $r_done (loop $rl
      (br_if $r_done (i32.ge_u (local.get $j) (local.get $dim)))
      (local.set $q (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $v (call $widen1 (i32.const 3) (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 1)))
        (local.get $s)))
      (if (local.get $weighted) (then (local.set $v (f32.mul (local.get $v) (local.get $w)))))
      (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (local.get $v)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $rl))))
  (func (export "pool_q")
    (param $ids i32) (param $offs i32) (param $n i32) (param $table i32) (param $dim i32)
    (param $out i32) (param $weights i32) (param $mapping i32) (param $scales i32) (param $kind i32)
    (local $i i32) (local $k i32) (local $end i32) (local $o i32) (local $id i32) (local $r i32) (local $stride i32)
    (local $row i32) (local $w f32)
    (local.set $stride (select (local.get $dim) (i32.shl (local.get $dim) (i32.const 1))
      (i32.eq (local.get $kind) (i32.const 1))))
    (block $bags_done (loop $bags
      (br_if $bags_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $i) (i32.shl (local.get $dim) (i32.const 2)))))
      (local.set $k (i32.load (i32.add (local.get $offs) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $end (i32.load offset=4 (i32.add (local.get $offs) (i32.shl (local.get $i) (i32.const 2)))))
      (call $zero (local.get $o) (local.get $dim))
      (block $toks_done (loop $toks
        (br_if $toks_done (i32.ge_u (local.get $k) (local.get $end)))
        (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $r (if (result i32) (local.get $mapping)
          (then (i32.load (i32.add (local.get $mapping) (i32.shl (local.get $id) (i32.const 2)))))
          (else (local.get $id))))
        (local.set $row (i32.add (local.get $table) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $w (if (result f32) (local.get $weights)
          (then (f32.load (i32.add (local.get $weights) (i32.shl (local.get $id) (i32.const 2)))))
          (else (f32.const 1))))
        (if (i32.eq (local.get $kind) (i32.const 1))
          (then (call $acc_i8 (local.get $o) (local.get $row) (local.get $dim)
            (if (result f32) (local.get $scales)
              (then (f32.load (i32.add (local.get $scales) (i32.shl (local.get $r) (i32.const 2)))))
              (else (f32.const 1)))
            (local.get $w) (local.get $weights)))
          (else (if (i32.eq (local.get $kind) (i32.const 2))
            (then (call $acc_f16 (local.get $o) (local.get $row) (local.get $dim) (f32.const 1) (local.get $w) (local.get $weights)))
            (else (call $acc_bf16 (local.get $o) (local.get $row) (local.get $dim) (f32.const 1) (local.get $w) (local.get $weights))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $toks)))
      (local.set $k (i32.load (i32.add (local.get $offs) (i32.shl (local.get $i) (i32.const 2)))))
      (if (i32.gt_u (local.get $end) (local.get $k))
        (then (call $divide (local.get $o) (local.get $dim) (f32.convert_i32_u (i32.sub (local.get $end) (local.get $k))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $bags)))
  )
)
