/** Word error rate: word-level Levenshtein distance / number of reference words. */
export function normalizeWords(text) {
    return text
        .toLowerCase()
        .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
        .split(/\s+/)
        .filter(Boolean);
}
export function wordErrorRate(reference, hypothesis) {
    const ref = normalizeWords(reference);
    const hyp = normalizeWords(hypothesis);
    if (ref.length === 0)
        return hyp.length === 0 ? 0 : 1;
    let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
    for (let i = 1; i <= ref.length; i++) {
        const row = [i];
        for (let j = 1; j <= hyp.length; j++) {
            const substitution = prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
            row.push(Math.min(substitution, prev[j] + 1, row[j - 1] + 1));
        }
        prev = row;
    }
    return prev[hyp.length] / ref.length;
}
//# sourceMappingURL=wer.js.map