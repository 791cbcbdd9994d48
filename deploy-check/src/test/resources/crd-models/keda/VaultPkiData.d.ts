import { ModelData, Model } from "@kubernetes-models/base";
export interface IVaultPkiData {
    "altNames"?: string;
    "commonName"?: string;
    "format"?: string;
    "ipSans"?: string;
    "otherSans"?: string;
    "ttl"?: string;
    "uriSans"?: string;
}
export declare class VaultPkiData extends Model<IVaultPkiData> implements IVaultPkiData {
    "altNames"?: string;
    "commonName"?: string;
    "format"?: string;
    "ipSans"?: string;
    "otherSans"?: string;
    "ttl"?: string;
    "uriSans"?: string;
    constructor(data?: ModelData<IVaultPkiData>);
}
export type { IVaultPkiData as IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultPkiData, VaultPkiData as ComGithubKedacoreKedaV2ApisKedaV1alpha1VaultPkiData };
