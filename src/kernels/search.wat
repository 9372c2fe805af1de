;; Kernels of VectorIndex (src/tasks/index.ts), each with a plain-loop reference in TypeScript.
;;
;; dots(q, nq, rows, n, d, out): out[k*n + i] = dot(q_k, row_i) for nq ≤ 4 queries at once, f32x4 with one
;;   accumulator per query, each row read once for all queries (d must be a multiple of 4).
;; hamming(q, rows, n, words, out): out[i] = popcount(q xor row_i) over `words` 64-bit words per row.
;; hamming_below(q, rows, n, words, limit, out) → count: the (index, distance) pairs of the rows whose distance
;;   is ≤ limit, written as i32 pairs to out (the candidate scan of the binary path, without a call per row).
;; dots_i8(q16, rows, n, w, out): out[i] = Σ_j q16[j] · rows[i*w + j] in int32, q16 the query as int16, rows
;;   int8 codes (w a multiple of 16): 8 multiply-adds per instruction (i32x4.dot_i16x8_s).
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "dots")
    (param $q i32) (param $nq i32) (param $rows i32) (param $n i32) (param $d i32) (param $out i32)
    (local $i i32) (local $j i32) (local $row i32) (local $rb i32) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $o i32)
    (local.set $rb (i32.shl (local.get $d) (i32.const 2)))
    (local.set $q1 (i32.add (local.get $q) (local.get $rb)))
    (local.set $q2 (i32.add (local.get $q1) (local.get $rb)))
    (local.set $q3 (i32.add (local.get $q2) (local.get $rb)))
    (local.set $i (i32.const 0))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $i) (local.get $rb))))
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0))
      (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $j) (local.get $rb)))
        (local.set $v (v128.load (i32.add (local.get $row) (local.get $j))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q) (local.get $j))))))
        (if (i32.gt_u (local.get $nq) (i32.const 1)) (then
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q1) (local.get $j))))))))
        (if (i32.gt_u (local.get $nq) (i32.const 2)) (then
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q2) (local.get $j))))))))
        (if (i32.gt_u (local.get $nq) (i32.const 3)) (then
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q3) (local.get $j))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $jl)))
      ;; horizontal sums: (x0 + x1) + (x2 + x3)
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))))
      (f32.store (local.get $o) (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
        (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
      (if (i32.gt_u (local.get $nq) (i32.const 1)) (then
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))) (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a1)) (f32x4.extract_lane 1 (local.get $a1)))
          (f32.add (f32x4.extract_lane 2 (local.get $a1)) (f32x4.extract_lane 3 (local.get $a1)))))))
      (if (i32.gt_u (local.get $nq) (i32.const 2)) (then
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 3))) (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a2)) (f32x4.extract_lane 1 (local.get $a2)))
          (f32.add (f32x4.extract_lane 2 (local.get $a2)) (f32x4.extract_lane 3 (local.get $a2)))))))
      (if (i32.gt_u (local.get $nq) (i32.const 3)) (then
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $n) (i32.const 12))) (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a3)) (f32x4.extract_lane 1 (local.get $a3)))
          (f32.add (f32x4.extract_lane 2 (local.get $a3)) (f32x4.extract_lane 3 (local.get $a3)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))
  (func (export "hamming")
    (param $q i32) (param $rows i32) (param $n i32) (param $words i32) (param $out i32)
    (local $i i32) (local $w i32) (local $row i32) (local $acc i64) (local $rb i32)
    (local.set $rb (i32.shl (local.get $words) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $i) (local.get $rb))))
      (local.set $acc (i64.const 0))
      (local.set $w (i32.const 0))
      (block $wd (loop $wl
        (br_if $wd (i32.ge_u (local.get $w) (local.get $rb)))
        (local.set $acc (i64.add (local.get $acc) (i64.popcnt (i64.xor
          (i64.load (i32.add (local.get $row) (local.get $w)))
          (i64.load (i32.add (local.get $q) (local.get $w)))))))
        (local.set $w (i32.add (local.get $w) (i32.const 8)))
        (br $wl)))
      (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (i32.wrap_i64 (local.get $acc)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func (export "dots_i8")
    (param $q i32) (param $rows i32) (param $n i32) (param $w i32) (param $out i32)
    (local $i i32) (local $j i32) (local $row i32) (local $acc v128) (local $v v128)
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $i) (local.get $w))))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $j) (local.get $w)))
        (local.set $v (v128.load (i32.add (local.get $row) (local.get $j))))
        (local.set $acc (i32x4.add (local.get $acc)
          (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v))
                             (v128.load (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 1)))))))
        (local.set $acc (i32x4.add (local.get $acc)
          (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v))
                             (v128.load (i32.add (local.get $q) (i32.add (i32.shl (local.get $j) (i32.const 1)) (i32.const 16)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $jl)))
      (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                 (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func (export "hamming_below")
    (param $q i32) (param $rows i32) (param $n i32) (param $words i32) (param $limit i32) (param $out i32) (result i32)
    (local $i i32) (local $w i32) (local $row i32) (local $acc i64) (local $rb i32) (local $count i32) (local $d i32)
    (local.set $rb (i32.shl (local.get $words) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $i) (local.get $rb))))
      (local.set $acc (i64.const 0))
      (local.set $w (i32.const 0))
      (block $wd (loop $wl
        (br_if $wd (i32.ge_u (local.get $w) (local.get $rb)))
        (local.set $acc (i64.add (local.get $acc) (i64.popcnt (i64.xor
          (i64.load (i32.add (local.get $row) (local.get $w)))
          (i64.load (i32.add (local.get $q) (local.get $w)))))))
        (local.set $w (i32.add (local.get $w) (i32.const 8)))
        (br $wl)))
      (local.set $d (i32.wrap_i64 (local.get $acc)))
      (if (i32.le_u (local.get $d) (local.get $limit)) (then
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 3))) (local.get $i))
        (i32.store (i32.add (local.get $out) (i32.add (i32.shl (local.get $count) (i32.const 3)) (i32.const 4))) (local.get $d))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $count))
)
