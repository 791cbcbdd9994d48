import { IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretmanagerClientSecret } from "./GCPSecretmanagerClientSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IGCPCredentials {
    "clientSecret": IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretmanagerClientSecret;
}
export declare class GCPCredentials extends Model<IGCPCredentials> implements IGCPCredentials {
    "clientSecret": IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretmanagerClientSecret;
    constructor(data?: ModelData<IGCPCredentials>);
}
export type { IGCPCredentials as IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPCredentials, GCPCredentials as ComGithubKedacoreKedaV2ApisKedaV1alpha1GCPCredentials };
