// Word-to-word cosines of a model for seven everyday words in English and eight languages (German, and seven
// languages of other scripts): how well the training text aligned everyday words.
// Usage: npm run build && node scripts/default-model-words.mjs [MODEL (default models/default)] [--json]
import { StaticModel } from '../dist/src/node.js';

const EN = ['bread', 'bakery', 'river', 'newspaper', 'shirt', 'fresh', 'city'];
const WORDS = {
  de: ['Brot', 'Bäckerei', 'Fluss', 'Zeitung', 'Hemd', 'frisch', 'Stadt'],
  he: ['לחם', 'מאפייה', 'נהר', 'עיתון', 'חולצה', 'טרי', 'עיר'],
  hy: ['հաց', 'հացատուն', 'գետ', 'թերթ', 'վերնաշապիկ', 'թարմ', 'քաղաք'],
  bn: ['রুটি', 'বেকারি', 'নদী', 'সংবাদপত্র', 'শার্ট', 'তাজা', 'শহর'],
  th: ['ขนมปัง', 'ร้านเบเกอรี่', 'แม่น้ำ', 'หนังสือพิมพ์', 'เสื้อ', 'สด', 'เมือง'],
  ar: ['خبز', 'مخبز', 'نهر', 'جريدة', 'قميص', 'طازج', 'مدينة'],
  hi: ['रोटी', 'बेकरी', 'नदी', 'अख़बार', 'कमीज़', 'ताज़ा', 'शहर'],
  ka: ['პური', 'საცხობი', 'მდინარე', 'გაზეთი', 'პერანგი', 'ახალი', 'ქალაქი'],
};
const args = process.argv.slice(2);
const json = args.includes('--json');
const model = await StaticModel.fromPretrained(args.find((a) => !a.startsWith('--')) ?? 'models/default');
const en = model.encode(EN, { normalize: true });
const means = {};
if (!json) console.log(`| language | ${EN.join(' | ')} | mean |`);
for (const [lang, words] of Object.entries(WORDS)) {
  const xx = model.encode(words, { normalize: true });
  const cos = words.map((_, i) => {
    let s = 0;
    for (let k = 0; k < en.cols; k++) s += en.data[i * en.cols + k] * xx.data[i * xx.cols + k];
    return s;
  });
  const mean = cos.reduce((a, b) => a + b, 0) / cos.length;
  means[lang] = Number(mean.toFixed(4));
  if (!json) console.log(`| ${lang} | ${cos.map((c) => c.toFixed(2)).join(' | ')} | ${mean.toFixed(2)} |`);
}
if (json) console.log(JSON.stringify(means));
await model.close();
