;; Mean pooling of id bags over an embedding table, with WebAssembly SIMD (f32x4).
;; The reference implementation is the plain loop in src/kernels/pool.ts: both round every f32 operation the same
;; way (product, then sum, then one division by the bag size), so their results are identical bit for bit.
;;
;; pool(ids, offsets, n, table, dim, out, weights, mapping)
;;   ids      u32[...]       token ids, bag after bag
;;   offsets  u32[n + 1]     bag i is ids[offsets[i], offsets[i+1]) (offsets relative to `ids`)
;;   table    f32[rows*dim]  row-major table
;;   out      f32[n*dim]     mean of each bag's rows (zero vector for an empty bag)
;;   weights  f32[vocab]     per-token weight, or 0 for none
;;   mapping  u32[vocab]     token id → table row, or 0 for none (identity)
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
)
