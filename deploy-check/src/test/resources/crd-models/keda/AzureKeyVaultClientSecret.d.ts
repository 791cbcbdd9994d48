import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret } from "./ValueFromSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IAzureKeyVaultClientSecret {
    "valueFrom": IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret;
}
export declare class AzureKeyVaultClientSecret extends Model<IAzureKeyVaultClientSecret> implements IAzureKeyVaultClientSecret {
    "valueFrom": IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret;
    constructor(data?: ModelData<IAzureKeyVaultClientSecret>);
}
export type { IAzureKeyVaultClientSecret as IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultClientSecret, AzureKeyVaultClientSecret as ComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultClientSecret };
