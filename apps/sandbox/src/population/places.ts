/** Regions by their ISO 3166-2 code, as the address register answers them. */
export const REGIONS = ['BE-VLG', 'BE-BRU', 'BE-WAL'] as const;
export type Region = (typeof REGIONS)[number];

export interface Municipality {
  /** The official name in the municipality's language (bilingual in Brussels). */
  name: string;
  postalCode: string;
  /** NIS (Statbel) code of the municipality. */
  nisCode: string;
  region: Region;
  /** Language most residents speak to the administration. */
  language: 'nl' | 'fr' | 'de';
  lat: number;
  lon: number;
  /** Relative size: how many households land here. */
  weight: number;
}

const m = (name: string, postalCode: string, nisCode: string, region: Region, language: Municipality['language'], lat: number, lon: number, weight: number): Municipality => ({
  name,
  postalCode,
  nisCode,
  region,
  language,
  lat,
  lon,
  weight,
});

/** A sample of real municipalities; most households live in Flanders, as most Belgians do. */
export const MUNICIPALITIES: readonly Municipality[] = [
  m('Antwerpen', '2000', '11002', 'BE-VLG', 'nl', 51.2194, 4.4025, 12),
  m('Gent', '9000', '44021', 'BE-VLG', 'nl', 51.0543, 3.7174, 10),
  m('Brugge', '8000', '31005', 'BE-VLG', 'nl', 51.2093, 3.2247, 5),
  m('Leuven', '3000', '24062', 'BE-VLG', 'nl', 50.8798, 4.7005, 5),
  m('Mechelen', '2800', '12025', 'BE-VLG', 'nl', 51.0259, 4.4776, 4),
  m('Hasselt', '3500', '71022', 'BE-VLG', 'nl', 50.9307, 5.3325, 4),
  m('Aalst', '9300', '41002', 'BE-VLG', 'nl', 50.9378, 4.0403, 4),
  m('Kortrijk', '8500', '34022', 'BE-VLG', 'nl', 50.8279, 3.2649, 4),
  m('Sint-Niklaas', '9100', '46021', 'BE-VLG', 'nl', 51.1652, 4.1437, 3),
  m('Genk', '3600', '71016', 'BE-VLG', 'nl', 50.9650, 5.5008, 3),
  m('Roeselare', '8800', '36015', 'BE-VLG', 'nl', 50.9469, 3.1227, 3),
  m('Oostende', '8400', '35013', 'BE-VLG', 'nl', 51.2154, 2.9286, 3),
  m('Turnhout', '2300', '13040', 'BE-VLG', 'nl', 51.3227, 4.9447, 2),
  m('Dendermonde', '9200', '42006', 'BE-VLG', 'nl', 51.0286, 4.1010, 2),
  m('Vilvoorde', '1800', '23088', 'BE-VLG', 'nl', 50.9281, 4.4245, 2),
  m('Lier', '2500', '12021', 'BE-VLG', 'nl', 51.1313, 4.5704, 2),
  m('Geel', '2440', '13008', 'BE-VLG', 'nl', 51.1617, 4.9901, 2),
  m('Ieper', '8900', '33011', 'BE-VLG', 'nl', 50.8503, 2.8853, 2),
  m('Halle', '1500', '23027', 'BE-VLG', 'nl', 50.7339, 4.2345, 2),
  m('Tienen', '3300', '24107', 'BE-VLG', 'nl', 50.8073, 4.9378, 2),
  m('Sint-Truiden', '3800', '71053', 'BE-VLG', 'nl', 50.8163, 5.1864, 2),
  m('Mol', '2400', '13017', 'BE-VLG', 'nl', 51.1910, 5.1164, 2),
  m('Brasschaat', '2930', '11008', 'BE-VLG', 'nl', 51.2910, 4.4917, 2),
  m('Knokke-Heist', '8300', '31043', 'BE-VLG', 'nl', 51.3500, 3.2652, 1),
  m('Herentals', '2200', '13011', 'BE-VLG', 'nl', 51.1766, 4.8363, 1),
  m('Waregem', '8790', '34040', 'BE-VLG', 'nl', 50.8889, 3.4266, 1),
  m('Zaventem', '1930', '23094', 'BE-VLG', 'nl', 50.8836, 4.4735, 1),
  m('Bruxelles / Brussel', '1000', '21004', 'BE-BRU', 'fr', 50.8467, 4.3525, 5),
  m('Ixelles / Elsene', '1050', '21009', 'BE-BRU', 'fr', 50.8333, 4.3667, 3),
  m('Schaerbeek / Schaarbeek', '1030', '21015', 'BE-BRU', 'fr', 50.8676, 4.3737, 3),
  m('Anderlecht', '1070', '21001', 'BE-BRU', 'fr', 50.8365, 4.3081, 3),
  m('Uccle / Ukkel', '1180', '21016', 'BE-BRU', 'fr', 50.8020, 4.3370, 2),
  m('Etterbeek', '1040', '21005', 'BE-BRU', 'fr', 50.8361, 4.3866, 1),
  m('Saint-Gilles / Sint-Gillis', '1060', '21013', 'BE-BRU', 'fr', 50.8268, 4.3458, 1),
  m('Molenbeek-Saint-Jean / Sint-Jans-Molenbeek', '1080', '21012', 'BE-BRU', 'fr', 50.8553, 4.3222, 2),
  m('Liège', '4000', '62063', 'BE-WAL', 'fr', 50.6326, 5.5797, 5),
  m('Charleroi', '6000', '52011', 'BE-WAL', 'fr', 50.4108, 4.4446, 5),
  m('Namur', '5000', '92094', 'BE-WAL', 'fr', 50.4669, 4.8675, 3),
  m('Mons', '7000', '53053', 'BE-WAL', 'fr', 50.4542, 3.9567, 2),
  m('Tournai', '7500', '57081', 'BE-WAL', 'fr', 50.6056, 3.3881, 2),
  m('Wavre', '1300', '25112', 'BE-WAL', 'fr', 50.7170, 4.6014, 1),
  m('Nivelles', '1400', '25072', 'BE-WAL', 'fr', 50.5979, 4.3285, 1),
  m('Verviers', '4800', '63079', 'BE-WAL', 'fr', 50.5891, 5.8624, 1),
  m('Arlon', '6700', '81001', 'BE-WAL', 'fr', 49.6833, 5.8167, 1),
  m('Eupen', '4700', '63023', 'BE-WAL', 'de', 50.6286, 6.0364, 1),
];

export const STREETS: Record<Municipality['language'], readonly string[]> = {
  nl: ['Kerkstraat', 'Stationsstraat', 'Dorpsstraat', 'Molenstraat', 'Schoolstraat', 'Nieuwstraat', 'Kapelstraat', 'Beekstraat', 'Lindenlaan', 'Heirweg', 'Veldstraat', 'Kouter', 'Meersstraat', 'Bosstraat', 'Hoogstraat'],
  fr: ["Rue de la Station", "Rue de l'Église", 'Chaussée de Wavre', 'Rue du Moulin', 'Rue des Écoles', 'Avenue des Tilleuls', 'Rue Haute', 'Place communale', 'Rue du Marché', 'Boulevard du Nord', 'Rue des Champs', 'Avenue de la Gare'],
  de: ['Hauptstraße', 'Kirchstraße', 'Bergstraße', 'Bahnhofstraße', 'Schulstraße', 'Neustraße'],
};

export const GIVEN_NAMES: Record<'nl' | 'fr' | 'de' | 'en', { F: readonly string[]; M: readonly string[] }> = {
  nl: {
    F: ['Emma', 'Lotte', 'Marie', 'Lien', 'Sofie', 'An', 'Els', 'Katrien', 'Nele', 'Ine', 'Fien', 'Noor', 'Julie', 'Hanne', 'Mila', 'Ella', 'Lore', 'Griet'],
    M: ['Lucas', 'Pieter', 'Jan', 'Wout', 'Tom', 'Bart', 'Koen', 'Stijn', 'Jef', 'Arne', 'Noah', 'Lars', 'Seppe', 'Warre', 'Tuur', 'Dries', 'Joris', 'Wim'],
  },
  fr: {
    F: ['Louise', 'Camille', 'Chloé', 'Léa', 'Manon', 'Sophie', 'Nathalie', 'Isabelle', 'Juliette', 'Alice', 'Inès', 'Zoé'],
    M: ['Louis', 'Hugo', 'Arthur', 'Nathan', 'Thomas', 'Julien', 'Olivier', 'Philippe', 'Mathis', 'Gabriel', 'Jules', 'Victor'],
  },
  de: {
    F: ['Anna', 'Lena', 'Leonie', 'Hannah', 'Sabine', 'Monika'],
    M: ['Lukas', 'Jonas', 'Felix', 'Thomas', 'Michael', 'Stefan'],
  },
  en: {
    F: ['Olivia', 'Amelia', 'Grace', 'Emily', 'Sarah'],
    M: ['Oliver', 'George', 'Jack', 'James', 'Daniel'],
  },
};

export const FAMILY_NAMES: Record<'nl' | 'fr' | 'de' | 'en', readonly string[]> = {
  nl: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Vermeulen', 'Van den Bossche', 'De Clercq', 'Pauwels', 'Hermans', 'Aerts', 'Van Damme', 'Verstraete', 'De Backer', 'Lambrechts'],
  fr: ['Dubois', 'Lambert', 'Dupont', 'Martin', 'Simon', 'Laurent', 'Leroy', 'Lejeune', 'Renard', 'François', 'Leclercq', 'Mathieu'],
  de: ['Müller', 'Schmitz', 'Kessler', 'Heinen', 'Cremer', 'Schröder'],
  en: ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson'],
};

/** NACE-BEL activity codes and what a business doing it might be called. */
export const ACTIVITIES: readonly { code: string; trade: string }[] = [
  { code: '56101', trade: 'Restaurant' },
  { code: '56301', trade: 'Café' },
  { code: '62010', trade: 'Software' },
  { code: '43341', trade: 'Schilderwerken' },
  { code: '96021', trade: 'Kapsalon' },
  { code: '69201', trade: 'Boekhouding' },
  { code: '41201', trade: 'Bouw' },
  { code: '74101', trade: 'Design' },
  { code: '86210', trade: 'Huisartsenpraktijk' },
  { code: '47710', trade: 'Kledingwinkel' },
  { code: '45201', trade: 'Garage' },
  { code: '49410', trade: 'Transport' },
  { code: '01130', trade: 'Groenteteelt' },
  { code: '55100', trade: 'Hotel' },
  { code: '10711', trade: 'Bakkerij' },
];

export const COMPANY_FORMS = ['BV', 'NV', 'CV', 'CommV'] as const;
