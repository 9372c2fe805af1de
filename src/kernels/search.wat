;; Kernels of search, mining and VectorIndex (src/tasks), each with a plain-loop reference in TypeScript.
;;
;; hamming_below(q, rows, n, words, limit, out) → count: the (index, distance) pairs of the rows whose distance
;;   is ≤ limit, written as i32 pairs to out (the candidate scan of the binary path, without a call per row).
;; dots_i8(q16, rows, n, w, out): out[i] = Σ_j q16[j] · rows[i*w + j] in int32, q16 the query as int16, rows
;;   int8 codes (w a multiple of 16): 8 multiply-adds per instruction (i32x4.dot_i16x8_s).
;; scores_above(q, nq, qstride, rows, ng, d, qthr, rthr, out) → count: scores of nq ≤ 4 queries (row-major, qstride
;;   bytes apart) against 8·ng corpus rows stored in blocks of 4 rows laid out dimension-major (block b: d × f32x4,
;;   lane = row), so each lane sums one row's products in dimension order with no horizontal sum; 4 queries × 8
;;   rows per pass (eight accumulators: register tiling). A score is written out as an (query, row, score) triple
;;   when it is ≥ the query's threshold qthr[k] or ≥ the row's threshold rthr[row] (rthr = 0: no row thresholds):
;;   the top-k selection happens without a score matrix.
(module
  (import "env" "memory" (memory 1 65536 shared))
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
  (func $emit (param $out i32) (param $count i32) (param $k i32) (param $row i32) (param $s v128) (param $m v128) (result i32)
    (local $p i32)
    (if (i32x4.extract_lane 0 (local.get $m)) (then
      (local.set $p (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 12))))
      (i32.store (local.get $p) (local.get $k))
      (i32.store offset=4 (local.get $p) (i32.add (local.get $row) (i32.const 0)))
      (f32.store offset=8 (local.get $p) (f32x4.extract_lane 0 (local.get $s)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (if (i32x4.extract_lane 1 (local.get $m)) (then
      (local.set $p (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 12))))
      (i32.store (local.get $p) (local.get $k))
      (i32.store offset=4 (local.get $p) (i32.add (local.get $row) (i32.const 1)))
      (f32.store offset=8 (local.get $p) (f32x4.extract_lane 1 (local.get $s)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (if (i32x4.extract_lane 2 (local.get $m)) (then
      (local.set $p (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 12))))
      (i32.store (local.get $p) (local.get $k))
      (i32.store offset=4 (local.get $p) (i32.add (local.get $row) (i32.const 2)))
      (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $s)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (if (i32x4.extract_lane 3 (local.get $m)) (then
      (local.set $p (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 12))))
      (i32.store (local.get $p) (local.get $k))
      (i32.store offset=4 (local.get $p) (i32.add (local.get $row) (i32.const 3)))
      (f32.store offset=8 (local.get $p) (f32x4.extract_lane 3 (local.get $s)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (local.get $count))
  (func (export "scores_above")
    (param $q i32) (param $nq i32) (param $qs i32) (param $rows i32) (param $ng i32) (param $d i32)
    (param $qthr i32) (param $rthr i32) (param $out i32) (result i32)
    (local $g i32) (local $j i32) (local $p i32) (local $bs i32) (local $r0 i32) (local $r1 i32) (local $row i32) (local $count i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $x0 v128) (local $x1 v128) (local $s v128) (local $m v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $r0v v128) (local $r1v v128)
    (local.set $bs (i32.shl (local.get $d) (i32.const 4)))
    ;; missing queries repeat the last one (their scores are never emitted)
    (local.set $q0 (local.get $q))
    (local.set $q1 (select (i32.add (local.get $q0) (local.get $qs)) (local.get $q0) (i32.gt_u (local.get $nq) (i32.const 1))))
    (local.set $q2 (select (i32.add (local.get $q1) (local.get $qs)) (local.get $q1) (i32.gt_u (local.get $nq) (i32.const 2))))
    (local.set $q3 (select (i32.add (local.get $q2) (local.get $qs)) (local.get $q2) (i32.gt_u (local.get $nq) (i32.const 3))))
    (local.set $t0 (v128.load32_splat (local.get $qthr)))
    (local.set $t1 (v128.load32_splat (i32.add (local.get $qthr) (select (i32.const 4) (i32.const 0) (i32.gt_u (local.get $nq) (i32.const 1))))))
    (local.set $t2 (v128.load32_splat (i32.add (local.get $qthr) (select (i32.const 8) (i32.const 0) (i32.gt_u (local.get $nq) (i32.const 2))))))
    (local.set $t3 (v128.load32_splat (i32.add (local.get $qthr) (select (i32.const 12) (i32.const 0) (i32.gt_u (local.get $nq) (i32.const 3))))))
    (local.set $r0v (f32x4.splat (f32.const inf)))
    (local.set $r1v (local.get $r0v))
    (local.set $r0 (local.get $rows))
    (block $done (loop $gl
      (br_if $done (i32.ge_u (local.get $g) (local.get $ng)))
      (local.set $r1 (i32.add (local.get $r0) (local.get $bs)))
      (local.set $a00 (v128.const i32x4 0 0 0 0))
      (local.set $a01 (v128.const i32x4 0 0 0 0))
      (local.set $a10 (v128.const i32x4 0 0 0 0))
      (local.set $a11 (v128.const i32x4 0 0 0 0))
      (local.set $a20 (v128.const i32x4 0 0 0 0))
      (local.set $a21 (v128.const i32x4 0 0 0 0))
      (local.set $a30 (v128.const i32x4 0 0 0 0))
      (local.set $a31 (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (local.set $p (i32.const 0))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $p) (local.get $bs)))
        (local.set $x0 (v128.load (i32.add (local.get $r0) (local.get $p))))
        (local.set $x1 (v128.load (i32.add (local.get $r1) (local.get $p))))
        (local.set $s (v128.load32_splat (i32.add (local.get $q0) (local.get $j))))
        (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $x0) (local.get $s))))
        (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $x1) (local.get $s))))
        (local.set $s (v128.load32_splat (i32.add (local.get $q1) (local.get $j))))
        (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $x0) (local.get $s))))
        (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $x1) (local.get $s))))
        (local.set $s (v128.load32_splat (i32.add (local.get $q2) (local.get $j))))
        (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $x0) (local.get $s))))
        (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $x1) (local.get $s))))
        (local.set $s (v128.load32_splat (i32.add (local.get $q3) (local.get $j))))
        (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $x0) (local.get $s))))
        (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $x1) (local.get $s))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $jl)))
      (local.set $row (i32.shl (local.get $g) (i32.const 3)))
      (if (local.get $rthr) (then
        (local.set $r0v (v128.load (i32.add (local.get $rthr) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $r1v (v128.load offset=16 (i32.add (local.get $rthr) (i32.shl (local.get $row) (i32.const 2)))))))
          (local.set $m (v128.or (f32x4.ge (local.get $a00) (local.get $t0)) (f32x4.ge (local.get $a00) (local.get $r0v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 0) (i32.add (local.get $row) (i32.const 0)) (local.get $a00) (local.get $m)))))
          (local.set $m (v128.or (f32x4.ge (local.get $a01) (local.get $t0)) (f32x4.ge (local.get $a01) (local.get $r1v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 0) (i32.add (local.get $row) (i32.const 4)) (local.get $a01) (local.get $m)))))
      (if (i32.gt_u (local.get $nq) (i32.const 1)) (then
          (local.set $m (v128.or (f32x4.ge (local.get $a10) (local.get $t1)) (f32x4.ge (local.get $a10) (local.get $r0v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 1) (i32.add (local.get $row) (i32.const 0)) (local.get $a10) (local.get $m)))))
          (local.set $m (v128.or (f32x4.ge (local.get $a11) (local.get $t1)) (f32x4.ge (local.get $a11) (local.get $r1v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 1) (i32.add (local.get $row) (i32.const 4)) (local.get $a11) (local.get $m)))))))
      (if (i32.gt_u (local.get $nq) (i32.const 2)) (then
          (local.set $m (v128.or (f32x4.ge (local.get $a20) (local.get $t2)) (f32x4.ge (local.get $a20) (local.get $r0v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 2) (i32.add (local.get $row) (i32.const 0)) (local.get $a20) (local.get $m)))))
          (local.set $m (v128.or (f32x4.ge (local.get $a21) (local.get $t2)) (f32x4.ge (local.get $a21) (local.get $r1v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 2) (i32.add (local.get $row) (i32.const 4)) (local.get $a21) (local.get $m)))))))
      (if (i32.gt_u (local.get $nq) (i32.const 3)) (then
          (local.set $m (v128.or (f32x4.ge (local.get $a30) (local.get $t3)) (f32x4.ge (local.get $a30) (local.get $r0v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 3) (i32.add (local.get $row) (i32.const 0)) (local.get $a30) (local.get $m)))))
          (local.set $m (v128.or (f32x4.ge (local.get $a31) (local.get $t3)) (f32x4.ge (local.get $a31) (local.get $r1v))))
          (if (v128.any_true (local.get $m)) (then
            (local.set $count (call $emit (local.get $out) (local.get $count) (i32.const 3) (i32.add (local.get $row) (i32.const 4)) (local.get $a31) (local.get $m)))))))
      (local.set $r0 (i32.add (local.get $r1) (local.get $bs)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $gl)))
    (local.get $count))
)
