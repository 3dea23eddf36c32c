import type { SourceCatalog, SourceField, Translations } from '@levensloop/domain';

/**
 * The authentic sources the engine reads and the fields each holds (MAGDA-style, purpose
 * filtered: a request names the fields it needs and gets only those). Steps declare their data
 * requirements against this catalog; the catalog refuses unknown sources and fields.
 */
const f = (type: SourceField['type'], nl: string, en: string, fr: string, de: string): SourceField => ({ type, titles: { nl, en, fr, de } });
const t = (nl: string, en: string, fr: string, de: string): Translations => ({ nl, en, fr, de });

export const SOURCE_CATALOG: SourceCatalog = {
  'national-register': {
    key: 'national-register',
    titles: t('Rijksregister', 'National register of persons', 'Registre national', 'Nationalregister'),
    subjectTypes: ['person'],
    fields: {
      'name.given': f('string', 'Voornaam', 'Given name', 'Prénom', 'Vorname'),
      'name.family': f('string', 'Familienaam', 'Family name', 'Nom de famille', 'Nachname'),
      birthDate: f('date', 'Geboortedatum', 'Date of birth', 'Date de naissance', 'Geburtsdatum'),
      nationality: f('string', 'Nationaliteit', 'Nationality', 'Nationalité', 'Staatsangehörigkeit'),
      preferredLanguage: f('string', 'Taal', 'Preferred language', 'Langue', 'Sprache'),
      address: f('object', 'Hoofdverblijfplaats', 'Main residence', 'Résidence principale', 'Hauptwohnsitz'),
      'address.id': f('string', 'Adresidentificator', 'Address identifier', "Identifiant de l'adresse", 'Adresskennung'),
      'address.postalCode': f('string', 'Postcode', 'Postal code', 'Code postal', 'Postleitzahl'),
      'address.municipality': f('string', 'Gemeente', 'Municipality', 'Commune', 'Gemeinde'),
      'family.partner': f('string', 'Partner', 'Partner', 'Partenaire', 'Partner'),
      'family.parents': f('list', 'Ouders', 'Parents', 'Parents', 'Eltern'),
      'family.children': f('list', 'Kinderen', 'Children', 'Enfants', 'Kinder'),
      'family.householdSize': f('number', 'Gezinsgrootte', 'Household size', 'Taille du ménage', 'Haushaltsgröße'),
      'contact.email': f('string', 'E-mailadres', 'E-mail address', 'Adresse e-mail', 'E-Mail-Adresse'),
      'contact.phone': f('string', 'Telefoonnummer', 'Phone number', 'Numéro de téléphone', 'Telefonnummer'),
    },
  },
  'enterprise-register': {
    key: 'enterprise-register',
    titles: t('Kruispuntbank van Ondernemingen', 'Crossroads Bank for Enterprises', 'Banque-Carrefour des Entreprises', 'Zentrale Datenbank der Unternehmen'),
    subjectTypes: ['enterprise'],
    fields: {
      name: f('string', 'Naam', 'Name', 'Dénomination', 'Name'),
      legalForm: f('string', 'Rechtsvorm', 'Legal form', 'Forme juridique', 'Rechtsform'),
      activityCodes: f('list', 'Activiteiten (NACE-BEL)', 'Activities (NACE-BEL)', 'Activités (NACE-BEL)', 'Tätigkeiten (NACE-BEL)'),
      seatAddress: f('object', 'Zetel', 'Registered seat', 'Siège', 'Sitz'),
      'seatAddress.id': f('string', 'Adresidentificator zetel', 'Seat address identifier', "Identifiant de l'adresse du siège", 'Adresskennung des Sitzes'),
      'seatAddress.postalCode': f('string', 'Postcode zetel', 'Seat postal code', 'Code postal du siège', 'Postleitzahl des Sitzes'),
      status: f('string', 'Status', 'Status', 'Statut', 'Status'),
      startDate: f('date', 'Begindatum', 'Start date', 'Date de début', 'Anfangsdatum'),
      representatives: f('list', 'Vertegenwoordigers', 'Representatives', 'Représentants', 'Vertreter'),
      'contact.email': f('string', 'E-mailadres', 'E-mail address', 'Adresse e-mail', 'E-Mail-Adresse'),
    },
  },
  'address-register': {
    key: 'address-register',
    titles: t('Adressenregister', 'Address register', "Registre d'adresses", 'Adressregister'),
    subjectTypes: ['person', 'enterprise'],
    fields: {
      region: f('string', 'Gewest', 'Region', 'Région', 'Region'),
      municipalityCode: f('string', 'NIS-code gemeente', 'Municipality code (NIS)', 'Code INS de la commune', 'NIS-Code der Gemeinde'),
      fullAddress: f('string', 'Volledig adres', 'Full address', 'Adresse complète', 'Vollständige Adresse'),
      position: f('object', 'Ligging (WGS84)', 'Position (WGS84)', 'Position (WGS84)', 'Lage (WGS84)'),
    },
  },
  // Holds no fields to read: it delivers documents, as evidence a person asks for (see libs/domain evidence.ts).
  'criminal-record': {
    key: 'criminal-record',
    titles: t('Centraal Strafregister', 'Central Criminal Record', 'Casier judiciaire central', 'Zentrales Strafregister'),
    subjectTypes: ['person'],
    fields: {},
    evidence: {
      'certificate-of-good-conduct': {
        titles: t('Uittreksel uit het strafregister', 'Extract from the criminal record (certificate of good conduct)', 'Extrait de casier judiciaire', 'Auszug aus dem Strafregister'),
        contentTypes: ['application/pdf'],
      },
    },
  },
};

export const SOURCE_KEYS = Object.keys(SOURCE_CATALOG);
