// Salesforce Id helpers the client tests share.

/** The 3-character case-safe suffix of an 18-character Salesforce Id. */
export function idSuffix(id15) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += alphabet[bits];
  }
  return out;
}

/** A well-formed 18-character Id with the same key prefix that no org has: changes the last of the 15. */
export function neverExistingIdLike(id18) {
  const id15 = id18.slice(0, 14) + (id18[14] === 'z' ? 'y' : 'z');
  return id15 + idSuffix(id15);
}
