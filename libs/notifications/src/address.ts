/** The address block lines, from the register's fields or a free-form `lines` list. */
export function addressLines(address: Record<string, unknown>): string[] {
  if (Array.isArray(address.lines)) return address.lines.map(String);
  const street = [address.street, address.houseNumber].filter(Boolean).join(' ');
  const city = [address.postalCode, address.municipality].filter(Boolean).join(' ');
  return [street, city, typeof address.country === 'string' ? address.country : ''].filter(Boolean);
}
