// single-purpose-keys.ts: sign with a signature-only key, decrypt answers with an encryption-only key.
import { OrganizationFactory, type OrganizationClient } from 'passport-truvalidate/sdk';

export function organizationClientWithSplitKeys(
  url: string,
  organization: { id: string; signatureKey: string; encryptionKey: string },
): OrganizationClient {
  // The constructor key signs every request (and decrypts too when it is a dual-purpose key).
  const factory = new OrganizationFactory(organization.id, organization.signatureKey, { url });
  // Answers are encrypted to the entity's encryption key: without this, they fail with EntityKeyNotFound.
  factory.addEncryptionPrivateKey(organization.encryptionKey);
  return factory.makeOrganizationClient();
}
